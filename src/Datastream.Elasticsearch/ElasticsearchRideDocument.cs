using System.Globalization;
using System.Text.Json;
using Datastream.Core.Rides;

namespace Datastream.Elasticsearch;

/// <summary>
/// The index document of one ride: <see cref="RideSchema.IndexDocument"/>, the flat fields by their schema names,
/// instants as ISO-8601 UTC with milliseconds and Z, comfort by its wire name, and origin/destination again as geo-point
/// objects. Also reads a document's _source back into a <see cref="FlatRide"/>.
/// </summary>
internal static class ElasticsearchRideDocument
{
    private static readonly JsonEncodedText Lat = JsonEncodedText.Encode(RideSchema.Names.Lat);
    private static readonly JsonEncodedText Lon = JsonEncodedText.Encode(RideSchema.Names.Lon);

    /// <summary>The name of the first field Elasticsearch could not store (JSON has no NaN or infinity), or null.</summary>
    public static string? FirstNonFiniteField(in FlatRide ride) => RideSchema.FirstNonFinite(ride)?.Name;

    public static void Write(Utf8JsonWriter writer, in FlatRide ride)
    {
        Span<byte> text = stackalloc byte[UtcTimestamp.Length];
        writer.WriteStartObject();
        var fields = RideSchema.IndexDocument;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            switch (field.Type)
            {
                case RideValueType.Uuid:
                    writer.WriteString(field.JsonName, ride.RideId);
                    break;
                case RideValueType.Instant:
                    UtcTimestamp.Format(field.InstantOf(ride), text);
                    writer.WriteString(field.JsonName, text);
                    break;
                case RideValueType.Comfort:
                    writer.WriteString(field.JsonName, ride.Comfort.WireName());
                    break;
                case RideValueType.Number:
                    WriteDouble(writer, field.JsonName, field.NumberOf(ride));
                    break;
                default:
                    var (lat, lon) = field == RideSchema.Origin
                        ? (ride.OriginLat, ride.OriginLon)
                        : (ride.DestinationLat, ride.DestinationLon);
                    WritePoint(writer, field.JsonName, lat, lon);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a hit's _source; throws <see cref="FormatException"/> naming the field when it is not a ride document.</summary>
    public static FlatRide Read(JsonElement source)
    {
        return new FlatRide(
            Guid.Parse(String(source, RideSchema.RideId)),
            Instant(source, RideSchema.Ts),
            ComfortNames.TryParse(String(source, RideSchema.Comfort), out var comfort) ? comfort : throw new FormatException("_source.comfort is not a comfort level"),
            Number(source, RideSchema.OriginLat),
            Number(source, RideSchema.OriginLon),
            Number(source, RideSchema.DestinationLat),
            Number(source, RideSchema.DestinationLon),
            Number(source, RideSchema.DurationMin),
            Number(source, RideSchema.PriceBase),
            Number(source, RideSchema.PricePerKm),
            Number(source, RideSchema.PricePerMin),
            Number(source, RideSchema.DistanceKm),
            Number(source, RideSchema.PriceTotal),
            Instant(source, RideSchema.AgentTimestamp));
    }

    /// <summary>
    /// Shortest round-trip text, always with a fraction or exponent ("2.0", not "2"): should the index ever be created
    /// without the template, dynamic mapping then still types the field double, never long (SPEC §3.6).
    /// </summary>
    private static void WriteDouble(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        Span<byte> text = stackalloc byte[34];
        if (!double.IsFinite(value) || !value.TryFormat(text, out int length, default, CultureInfo.InvariantCulture))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{name} is not a finite number");
        }

        if (text[..length].IndexOfAny(".Ee"u8) < 0)
        {
            ".0"u8.CopyTo(text[length..]);
            length += 2;
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    private static void WritePoint(Utf8JsonWriter writer, JsonEncodedText name, double lat, double lon)
    {
        writer.WriteStartObject(name);
        WriteDouble(writer, Lat, lat);
        WriteDouble(writer, Lon, lon);
        writer.WriteEndObject();
    }

    private static string String(JsonElement source, RideSchemaField field) =>
        source.TryGetProperty(field.Name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"_source.{field.Name} is missing or not a string");

    private static double Number(JsonElement source, RideSchemaField field) =>
        source.TryGetProperty(field.Name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new FormatException($"_source.{field.Name} is missing or not a number");

    private static DateTime Instant(JsonElement source, RideSchemaField field) =>
        DateTimeOffset.TryParse(String(source, field), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.UtcDateTime
            : throw new FormatException($"_source.{field.Name} is not an ISO-8601 instant");
}
