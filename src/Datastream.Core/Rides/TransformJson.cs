using System.Text.Json;
using System.Text.Unicode;
using Datastream.Core.Dlq;

namespace Datastream.Core.Rides;

/// <summary>
/// The TransformJSON task of DAG#2: flattens one rides_result document (SPEC §3.4) into the document the index and
/// the lake store (§3.6), stamped with agent_timestamp. Reads UTF-8 directly; unknown fields (client, driver) are
/// ignored. Whatever else writes to rides_result, a document is accepted only when it is what compute-cost writes:
/// valid UTF-8, one JSON object and nothing after it, no duplicate field, every value in the ranges and plausibility
/// limits of §3.1. Otherwise it is refused with the JSON path of the first problem; this never throws on any input.
/// </summary>
public static class TransformJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    // A ts or comfort with every character escaped as \uXXXX still fits; anything longer is no valid value.
    private const int EscapedValueBytes = 256;

    public static bool TryFlatten(ReadOnlySpan<byte> result, DateTime agentTimestampUtc, out FlatRide ride, out Rejection rejection)
        => TryFlatten(result, agentTimestampUtc, RideLimits.Default, out ride, out rejection);

    /// <summary>
    /// Flattens <paramref name="result"/>; the ts limits of <paramref name="limits"/> are measured from
    /// <paramref name="agentTimestampUtc"/>, the processing time.
    /// </summary>
    public static bool TryFlatten(ReadOnlySpan<byte> result, DateTime agentTimestampUtc, RideLimits limits, out FlatRide ride, out Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ride = default;
        if (!Utf8.IsValid(result))
        {
            rejection = new Rejection(RejectionKind.Encoding, "$", "payload is not valid UTF-8");
            return false;
        }

        // Most documents are what compute-cost wrote; whatever the shortcut does not accept, the full reading judges.
        if (RideResultShortcut.TryRead(result, limits, agentTimestampUtc, out ride))
        {
            rejection = default;
            return true;
        }

        return TryFlattenFully(result, agentTimestampUtc, limits, out ride, out rejection);
    }

    /// <summary>The full reading, with Utf8JsonReader, of a valid UTF-8 document: decides every case the shortcut leaves.</summary>
    internal static bool TryFlattenFully(ReadOnlySpan<byte> result, DateTime agentTimestampUtc, RideLimits limits, out FlatRide ride, out Rejection rejection)
    {
        ride = default;
        var reader = new Utf8JsonReader(result, ReaderOptions);
        var values = new Values();
        Rejection? first;
        try
        {
            first = ReadDocument(ref reader, limits, agentTimestampUtc, ref values);

            // Whatever was found, the rest must still be JSON: invalid JSON anywhere wins, as in compute-cost.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            rejection = new Rejection(RejectionKind.InvalidJson, "$", RideRecordParser.InvalidJsonMessage(result, e));
            return false;
        }

        if (first is { } problem)
        {
            rejection = problem;
            return false;
        }

        ride = new FlatRide(values.RideId, values.Ts, values.Comfort, values.OriginLat, values.OriginLon, values.DestinationLat, values.DestinationLon,
            values.DurationMin, values.PriceBase, values.PricePerKm, values.PricePerMin, values.DistanceKm, values.PriceTotal,
            DateTime.SpecifyKind(agentTimestampUtc, DateTimeKind.Utc));
        rejection = default;
        return true;
    }

    /// <summary>Reads the root object into <paramref name="values"/>; returns the first problem, with the reader left where it was found.</summary>
    private static Rejection? ReadDocument(ref Utf8JsonReader reader, RideLimits limits, DateTime now, ref Values values)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Schema("$", "must be an object");
        }

        RideField seen = RideField.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (JsonEscapes.IsUnreadable(in reader))
            {
                return Encoding("$");
            }

            RideField field = RideFieldNames.Classify(ref reader);
            reader.Read();
            if (field is RideField.Unknown or RideField.Data)
            {
                reader.Skip();
                continue;
            }

            string path = RideFieldNames.PathOf(field);
            if ((seen & field) != 0)
            {
                return Schema(path, "duplicate key");
            }

            seen |= field;
            Rejection? problem = field switch
            {
                RideField.RideId => ReadRideId(ref reader, out values.RideId),
                RideField.Ts => ReadTs(ref reader, limits, now, out values.Ts),
                RideField.Origin => ReadPoint(ref reader, path, out values.OriginLat, out values.OriginLon),
                RideField.Destination => ReadPoint(ref reader, path, out values.DestinationLat, out values.DestinationLon),
                RideField.Comfort => ReadComfort(ref reader, out values.Comfort),
                RideField.DurationMin => ReadNumber(ref reader, path, 0, limits.MaxDurationMin, "Limits:MaxDurationMin", out values.DurationMin),
                RideField.PriceBase => ReadNumber(ref reader, path, 0, limits.MaxPriceBase, "Limits:MaxPriceBase", out values.PriceBase),
                RideField.PricePerKm => ReadNumber(ref reader, path, 0, limits.MaxPricePerKm, "Limits:MaxPricePerKm", out values.PricePerKm),
                RideField.PricePerMin => ReadNumber(ref reader, path, 0, limits.MaxPricePerMin, "Limits:MaxPricePerMin", out values.PricePerMin),
                RideField.DistanceKm => ReadNumber(ref reader, path, 0, RideLimits.MaxDistanceKm, "half the Earth's circumference", out values.DistanceKm),
                _ => ReadNumber(ref reader, path, 0, limits.MaxPriceTotal, "Limits:MaxPriceTotal", out values.PriceTotal),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return RideFieldNames.FirstMissing(seen, RideField.ResultRequired) is { } missing ? Schema(missing, "is required") : null;
    }

    private static Rejection? ReadRideId(ref Utf8JsonReader reader, out Guid rideId)
    {
        rideId = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return Schema("$.ride_id", "must be a UUID string");
        }

        if (JsonEscapes.IsUnreadable(in reader))
        {
            return Encoding("$.ride_id");
        }

        return reader.TryGetGuid(out rideId) ? null : Schema("$.ride_id", "must be a UUID");
    }

    private static Rejection? ReadTs(ref Utf8JsonReader reader, RideLimits limits, DateTime now, out DateTime tsUtc)
    {
        tsUtc = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return Schema("$.ts", "must be an ISO-8601 timestamp string");
        }

        Span<byte> buffer = stackalloc byte[EscapedValueBytes];
        if (!TryUnescape(in reader, "$.ts", buffer, out ReadOnlySpan<byte> text, out Rejection? unreadable))
        {
            return unreadable ?? Schema("$.ts", RideTimestamp.NotIso8601);
        }

        if (RideTimestamp.TryRead(in reader, text, out tsUtc, out _) is { } invalid)
        {
            return Schema("$.ts", invalid);
        }

        return limits.CheckTs(tsUtc, now) is { } outside ? Schema("$.ts", outside) : null;
    }

    private static Rejection? ReadComfort(ref Utf8JsonReader reader, out Comfort comfort)
    {
        comfort = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            return Schema("$.comfort", "must be a string");
        }

        Span<byte> buffer = stackalloc byte[EscapedValueBytes];
        if (!TryUnescape(in reader, "$.comfort", buffer, out ReadOnlySpan<byte> text, out Rejection? unreadable))
        {
            return unreadable ?? Schema("$.comfort", RideRecordParser.ComfortMessage);
        }

        return ComfortNames.TryParse(text, out comfort) ? null : Schema("$.comfort", RideRecordParser.ComfortMessage);
    }

    /// <summary>The string token's bytes (see <see cref="JsonEscapes.TryUnescape"/>); a lone surrogate is an encoding rejection at <paramref name="path"/>.</summary>
    private static bool TryUnescape(in Utf8JsonReader reader, string path, Span<byte> buffer, out ReadOnlySpan<byte> text, out Rejection? unreadable)
    {
        bool ok = JsonEscapes.TryUnescape(in reader, buffer, out text, out bool isUnreadable);
        unreadable = isUnreadable ? Encoding(path) : null;
        return ok;
    }

    private static Rejection? ReadPoint(ref Utf8JsonReader reader, string path, out double lat, out double lon)
    {
        lat = lon = 0;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Schema(path, "must be an object with lat and lon");
        }

        bool hasLat = false, hasLon = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (JsonEscapes.IsUnreadable(in reader))
            {
                return Encoding(path);
            }

            bool isLat = reader.ValueTextEquals("lat"u8);
            bool isLon = !isLat && reader.ValueTextEquals("lon"u8);
            reader.Read();
            if (!isLat && !isLon)
            {
                reader.Skip();
                continue;
            }

            string valuePath = CoordinatePath(path, isLat);
            if (isLat ? hasLat : hasLon)
            {
                return Schema(valuePath, "duplicate key");
            }

            double limit = isLat ? 90 : 180;
            if (ReadNumber(ref reader, valuePath, -limit, limit, null, out double value) is { } problem)
            {
                return problem;
            }

            (lat, hasLat) = isLat ? (value, true) : (lat, hasLat);
            (lon, hasLon) = isLon ? (value, true) : (lon, hasLon);
        }

        return !hasLat || !hasLon ? Schema(path + (hasLat ? ".lon" : ".lat"), "is required") : null;
    }

    /// <summary>"$.origin.lat" and the like, as constants: concatenating them cost four allocations per document read.</summary>
    private static string CoordinatePath(string pointPath, bool isLat) => (pointPath, isLat) switch
    {
        ("$.origin", true) => "$.origin.lat",
        ("$.origin", false) => "$.origin.lon",
        ("$.destination", true) => "$.destination.lat",
        ("$.destination", false) => "$.destination.lon",
        _ => pointPath + (isLat ? ".lat" : ".lon"),
    };

    /// <summary>A finite number in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="limitName"/> says where the maximum comes from.</summary>
    private static Rejection? ReadNumber(ref Utf8JsonReader reader, string path, double min, double max, string? limitName, out double value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value))
        {
            return Schema(path, "must be a finite number");
        }

        if (value < min || value > max)
        {
            return Schema(path, limitName is null
                ? FormattableString.Invariant($"must be between {min} and {max}")
                : value < min ? "must not be negative" : RideLimits.AtMost(max, limitName));
        }

        return null;
    }

    private static Rejection Schema(string path, string message) => new(RejectionKind.Schema, path, message);

    private static Rejection Encoding(string path) => new(RejectionKind.Encoding, path, RideRecordParser.LoneSurrogateMessage);

    /// <summary>The fields read so far; a struct so that a valid document allocates nothing.</summary>
    private struct Values
    {
        public Guid RideId;
        public DateTime Ts;
        public Comfort Comfort;
        public double OriginLat, OriginLon, DestinationLat, DestinationLon, DurationMin, PriceBase, PricePerKm, PricePerMin, DistanceKm, PriceTotal;
    }
}
