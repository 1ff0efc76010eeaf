using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Datastream.Core.Dlq;

namespace Datastream.Core.Rides;

/// <summary>
/// Reads the rides of a course-format record (SPEC §3.2): {"data":[{"confort","prix_base_per_km",
/// "properties-client","properties-driver"}]}, driver position = origin, client position = destination.
/// Such records are rare, so this uses JsonDocument. It expects a document that <see cref="RideRecordParser"/>
/// has already found to be valid JSON without duplicate keys. All elements must be valid, or none is used.
/// </summary>
internal sealed class CourseRecordParser
{
    private readonly ArrayBufferWriter<byte> _canonical = new(512);

    private readonly Utf8JsonWriter _canonicalWriter;
    private readonly RideLimits _limits;

    public CourseRecordParser(RideLimits limits)
    {
        this._limits = limits;
        _canonicalWriter = new Utf8JsonWriter(_canonical, new JsonWriterOptions { Indented = false });
    }

    /// <summary>The rides of the last record parsed successfully.</summary>
    public List<CourseRide> Rides { get; } = [];

    /// <summary><paramref name="logTimestampUtc"/> is the rides' ts; <paramref name="nowUtc"/> the processing time its limits are measured from.</summary>
    public bool TryParse(ReadOnlySpan<byte> payload, DateTime logTimestampUtc, DateTime nowUtc, out Rejection rejection)
    {
        Rides.Clear();
        if (_limits.CheckTs(logTimestampUtc, nowUtc) is { } outside)
        {
            // The course format has no ts field: its rides take the record's log timestamp (SPEC §3.2).
            rejection = Schema("$", "the record's log timestamp, the course format's ts, " + outside);
            return false;
        }

        using JsonDocument document = JsonDocument.Parse(payload.ToArray());
        JsonElement data = document.RootElement.GetProperty("data");
        if (data.ValueKind != JsonValueKind.Array)
        {
            rejection = Schema("$.data", "must be an array");
            return false;
        }

        if (data.GetArrayLength() == 0)
        {
            rejection = Schema("$.data", "must not be empty");
            return false;
        }

        int index = 0;
        foreach (JsonElement element in data.EnumerateArray())
        {
            string path = $"$.data[{index++}]";
            if (!TryReadElement(element, path, logTimestampUtc, out CourseRide ride, out rejection))
            {
                Rides.Clear();
                return false;
            }

            Rides.Add(ride);
        }

        rejection = default;
        return true;
    }

    private bool TryReadElement(JsonElement element, string path, DateTime tsUtc, out CourseRide ride, out Rejection rejection)
    {
        ride = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            rejection = Schema(path, "must be an object");
            return false;
        }

        // The whole element is read (its canonical bytes name the ride), so a lone surrogate anywhere in it is
        // text that cannot be unescaped: refuse it before GetString or WriteTo throw on it.
        if (JsonEscapes.HasLoneSurrogate(JsonMarshal.GetRawUtf8Value(element)))
        {
            rejection = new Rejection(RejectionKind.Encoding, path, RideRecordParser.LoneSurrogateMessage);
            return false;
        }

        if (!TryGetRequired(element, "confort", path, out JsonElement confort, out rejection))
        {
            return false;
        }

        if (confort.ValueKind != JsonValueKind.String)
        {
            rejection = Schema(path + ".confort", "must be a string");
            return false;
        }

        if (!ComfortNames.TryParse(confort.GetString()!, out Comfort comfort))
        {
            rejection = Schema(path + ".confort", RideRecordParser.ComfortMessage);
            return false;
        }

        if (!TryGetRequired(element, "prix_base_per_km", path, out JsonElement perKmElement, out rejection)
            || !TryReadNumber(perKmElement, path + ".prix_base_per_km", 0, _limits.MaxPricePerKm,
                $"must be between 0 and {_limits.MaxPricePerKm:R} (Limits:MaxPricePerKm)", out double perKm, out rejection))
        {
            return false;
        }

        if (!TryReadParty(element, "properties-client", "nomclient", "telephoneClient", path, out GeoPoint clientAt, out CourseParty client, out rejection)
            || !TryReadParty(element, "properties-driver", "nomDriver", "telephoneDriver", path, out GeoPoint driverAt, out CourseParty driver, out rejection))
        {
            return false;
        }

        _canonical.ResetWrittenCount();
        _canonicalWriter.Reset(_canonical);
        element.WriteTo(_canonicalWriter);
        _canonicalWriter.Flush();

        ride.Ride = new RideFields
        {
            RideId = CourseRideId.For(_canonical.WrittenSpan),
            TsUtc = tsUtc,
            Origin = driverAt,
            Destination = clientAt,
            Comfort = comfort,
            PricePerKm = perKm,
        };
        ride.Client = client;
        ride.Driver = driver;
        return true;
    }

    private static bool TryReadParty(JsonElement element, string name, string nameField, string phoneField, string parentPath,
        out GeoPoint position, out CourseParty party, out Rejection rejection)
    {
        position = default;
        party = default;
        string path = parentPath + "." + name;
        if (!TryGetRequired(element, name, parentPath, out JsonElement properties, out rejection))
        {
            return false;
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            rejection = Schema(path, "must be an object");
            return false;
        }

        if (!TryGetRequired(properties, "latitude", path, out JsonElement latElement, out rejection)
            || !TryReadNumber(latElement, path + ".latitude", -90, 90, "must be between -90 and 90", out double lat, out rejection)
            || !TryGetRequired(properties, "logitude", path, out JsonElement lonElement, out rejection)
            || !TryReadNumber(lonElement, path + ".logitude", -180, 180, "must be between -180 and 180", out double lon, out rejection))
        {
            return false;
        }

        string? personName = null;
        if (properties.TryGetProperty(nameField, out JsonElement nameElement) && nameElement.ValueKind != JsonValueKind.Null)
        {
            if (nameElement.ValueKind != JsonValueKind.String)
            {
                rejection = Schema(path + "." + nameField, "must be a string");
                return false;
            }

            personName = nameElement.GetString();
        }

        string? phone = null;
        if (properties.TryGetProperty(phoneField, out JsonElement phoneElement) && phoneElement.ValueKind != JsonValueKind.Null)
        {
            // Spreadsheets and hand-written producers send phones as numbers; the text is what matters.
            phone = phoneElement.ValueKind switch
            {
                JsonValueKind.String => phoneElement.GetString(),
                JsonValueKind.Number => phoneElement.GetRawText(),
                _ => null,
            };
            if (phone is null)
            {
                rejection = Schema(path + "." + phoneField, "must be a string or a number");
                return false;
            }
        }

        position = new GeoPoint(lat, lon);
        party = new CourseParty(personName, phone);
        rejection = default;
        return true;
    }

    private static bool TryGetRequired(JsonElement parent, string name, string parentPath, out JsonElement value, out Rejection rejection)
    {
        if (parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            rejection = default;
            return true;
        }

        rejection = Schema(parentPath + "." + name, "is required");
        return false;
    }

    private static bool TryReadNumber(JsonElement element, string path, double min, double max, string rangeMessage,
        out double value, out Rejection rejection)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number)
        {
            rejection = Schema(path, "must be a number");
            return false;
        }

        if (!element.TryGetDouble(out value) || !double.IsFinite(value))
        {
            rejection = Schema(path, "must be a finite number");
            return false;
        }

        if (value < min || value > max)
        {
            rejection = Schema(path, rangeMessage);
            return false;
        }

        rejection = default;
        return true;
    }

    private static Rejection Schema(string path, string message) => new(RejectionKind.Schema, path, message);
}
