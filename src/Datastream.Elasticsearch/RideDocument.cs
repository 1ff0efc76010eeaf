using System.Globalization;
using System.Text.Json;
using Datastream.Core.Rides;

namespace Datastream.Elasticsearch;

/// <summary>
/// The index document of one ride (SPEC §3.6): the flat fields in snake_case, instants as ISO-8601 UTC with
/// milliseconds and Z, comfort by its wire name, and origin/destination again as geo-point objects. Also reads a
/// document's _source back into a <see cref="FlatRide"/>.
/// </summary>
internal static class RideDocument
{
    private static readonly JsonEncodedText RideId = JsonEncodedText.Encode("ride_id");
    private static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText ComfortField = JsonEncodedText.Encode("comfort");
    private static readonly JsonEncodedText OriginLat = JsonEncodedText.Encode("origin_lat");
    private static readonly JsonEncodedText OriginLon = JsonEncodedText.Encode("origin_lon");
    private static readonly JsonEncodedText DestinationLat = JsonEncodedText.Encode("destination_lat");
    private static readonly JsonEncodedText DestinationLon = JsonEncodedText.Encode("destination_lon");
    private static readonly JsonEncodedText DurationMin = JsonEncodedText.Encode("duration_min");
    private static readonly JsonEncodedText PriceBase = JsonEncodedText.Encode("price_base");
    private static readonly JsonEncodedText PricePerKm = JsonEncodedText.Encode("price_per_km");
    private static readonly JsonEncodedText PricePerMin = JsonEncodedText.Encode("price_per_min");
    private static readonly JsonEncodedText DistanceKm = JsonEncodedText.Encode("distance_km");
    private static readonly JsonEncodedText PriceTotal = JsonEncodedText.Encode("price_total");
    private static readonly JsonEncodedText AgentTimestamp = JsonEncodedText.Encode("agent_timestamp");
    private static readonly JsonEncodedText Origin = JsonEncodedText.Encode("origin");
    private static readonly JsonEncodedText Destination = JsonEncodedText.Encode("destination");
    private static readonly JsonEncodedText Lat = JsonEncodedText.Encode("lat");
    private static readonly JsonEncodedText Lon = JsonEncodedText.Encode("lon");

    /// <summary>The name of the first field Elasticsearch could not store (JSON has no NaN or infinity), or null.</summary>
    public static string? FirstNonFiniteField(in FlatRide ride)
    {
        ReadOnlySpan<(double Value, string Name)> fields =
        [
            (ride.OriginLat, "origin_lat"), (ride.OriginLon, "origin_lon"), (ride.DestinationLat, "destination_lat"),
            (ride.DestinationLon, "destination_lon"), (ride.DurationMin, "duration_min"), (ride.PriceBase, "price_base"),
            (ride.PricePerKm, "price_per_km"), (ride.PricePerMin, "price_per_min"), (ride.DistanceKm, "distance_km"),
            (ride.PriceTotal, "price_total"),
        ];
        foreach (var (value, name) in fields)
        {
            if (!double.IsFinite(value))
                return name;
        }

        return null;
    }

    public static void Write(Utf8JsonWriter writer, in FlatRide ride)
    {
        Span<byte> text = stackalloc byte[UtcTimestamp.Length];
        writer.WriteStartObject();
        writer.WriteString(RideId, ride.RideId);
        UtcTimestamp.Format(ride.TsUtc, text);
        writer.WriteString(Ts, text);
        writer.WriteString(ComfortField, ride.Comfort.WireName());
        WriteDouble(writer, OriginLat, ride.OriginLat);
        WriteDouble(writer, OriginLon, ride.OriginLon);
        WriteDouble(writer, DestinationLat, ride.DestinationLat);
        WriteDouble(writer, DestinationLon, ride.DestinationLon);
        WriteDouble(writer, DurationMin, ride.DurationMin);
        WriteDouble(writer, PriceBase, ride.PriceBase);
        WriteDouble(writer, PricePerKm, ride.PricePerKm);
        WriteDouble(writer, PricePerMin, ride.PricePerMin);
        WriteDouble(writer, DistanceKm, ride.DistanceKm);
        WriteDouble(writer, PriceTotal, ride.PriceTotal);
        UtcTimestamp.Format(ride.AgentTimestampUtc, text);
        writer.WriteString(AgentTimestamp, text);
        WritePoint(writer, Origin, ride.OriginLat, ride.OriginLon);
        WritePoint(writer, Destination, ride.DestinationLat, ride.DestinationLon);
        writer.WriteEndObject();
    }

    /// <summary>Reads a hit's _source; throws <see cref="FormatException"/> naming the field when it is not a ride document.</summary>
    public static FlatRide Read(JsonElement source)
    {
        return new FlatRide(
            Guid.Parse(String(source, "ride_id")),
            Instant(source, "ts"),
            ComfortNames.TryParse(String(source, "comfort"), out var comfort) ? comfort : throw new FormatException("_source.comfort is not a comfort level"),
            Number(source, "origin_lat"),
            Number(source, "origin_lon"),
            Number(source, "destination_lat"),
            Number(source, "destination_lon"),
            Number(source, "duration_min"),
            Number(source, "price_base"),
            Number(source, "price_per_km"),
            Number(source, "price_per_min"),
            Number(source, "distance_km"),
            Number(source, "price_total"),
            Instant(source, "agent_timestamp"));
    }

    /// <summary>
    /// Shortest round-trip text, always with a fraction or exponent ("2.0", not "2"): should the index ever be created
    /// without the template, dynamic mapping then still types the field double, never long (SPEC §3.6).
    /// </summary>
    private static void WriteDouble(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        Span<byte> text = stackalloc byte[34];
        if (!double.IsFinite(value) || !value.TryFormat(text, out int length, default, CultureInfo.InvariantCulture))
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{name} is not a finite number");
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

    private static string String(JsonElement source, string name) =>
        source.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"_source.{name} is missing or not a string");

    private static double Number(JsonElement source, string name) =>
        source.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new FormatException($"_source.{name} is missing or not a number");

    private static DateTime Instant(JsonElement source, string name) =>
        DateTimeOffset.TryParse(String(source, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.UtcDateTime
            : throw new FormatException($"_source.{name} is not an ISO-8601 instant");
}
