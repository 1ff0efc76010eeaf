using System.Text.Json;
using Datastream.Core.Dlq;

namespace Datastream.Core.Rides;

/// <summary>
/// The TransformJSON task of DAG#2: flattens one rides_result document (SPEC §3.4) into the document the index and
/// the lake store (§3.6), stamped with agent_timestamp. Reads UTF-8 directly; unknown fields (client, driver) are
/// ignored. A result that is not what compute-cost writes is refused with the JSON path of the problem.
/// </summary>
public static class TransformJson
{
    [Flags]
    private enum Seen
    {
        None = 0,
        RideId = 1 << 0,
        Ts = 1 << 1,
        Origin = 1 << 2,
        Destination = 1 << 3,
        Comfort = 1 << 4,
        DurationMin = 1 << 5,
        PriceBase = 1 << 6,
        PricePerKm = 1 << 7,
        PricePerMin = 1 << 8,
        DistanceKm = 1 << 9,
        PriceTotal = 1 << 10,
        All = (1 << 11) - 1,
    }

    private static readonly (Seen Field, string Name)[] Required =
    [
        (Seen.RideId, "ride_id"), (Seen.Ts, "ts"), (Seen.Origin, "origin"), (Seen.Destination, "destination"),
        (Seen.Comfort, "comfort"), (Seen.DurationMin, "duration_min"), (Seen.PriceBase, "price_base"),
        (Seen.PricePerKm, "price_per_km"), (Seen.PricePerMin, "price_per_min"), (Seen.DistanceKm, "distance_km"),
        (Seen.PriceTotal, "price_total"),
    ];

    public static bool TryFlatten(ReadOnlySpan<byte> result, DateTime agentTimestampUtc, out FlatRide ride, out Rejection rejection)
    {
        ride = default;
        try
        {
            return TryRead(result, agentTimestampUtc, out ride, out rejection);
        }
        catch (JsonException e)
        {
            rejection = new Rejection(RejectionKind.InvalidJson, "$", $"invalid JSON at byte {e.BytePositionInLine}: {e.Message}");
            return false;
        }
    }

    private static bool TryRead(ReadOnlySpan<byte> result, DateTime agentTimestampUtc, out FlatRide ride, out Rejection rejection)
    {
        ride = default;
        var reader = new Utf8JsonReader(result);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            rejection = Schema("$", "must be an object");
            return false;
        }

        Guid rideId = default;
        DateTime ts = default;
        Comfort comfort = default;
        double oLat = 0, oLon = 0, dLat = 0, dLon = 0, duration = 0, priceBase = 0, perKm = 0, perMin = 0, distance = 0, total = 0;
        var seen = Seen.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ride_id"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out rideId))
                {
                    rejection = Schema("$.ride_id", "must be a UUID");
                    return false;
                }

                seen |= Seen.RideId;
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var offsetTs))
                {
                    rejection = Schema("$.ts", "must be an ISO-8601 timestamp");
                    return false;
                }

                ts = offsetTs.UtcDateTime;
                seen |= Seen.Ts;
            }
            else if (reader.ValueTextEquals("origin"u8) || reader.ValueTextEquals("destination"u8))
            {
                bool origin = reader.ValueTextEquals("origin"u8);
                string path = origin ? "$.origin" : "$.destination";
                if (!TryReadPoint(ref reader, path, out double lat, out double lon, out rejection))
                {
                    return false;
                }

                (oLat, oLon, dLat, dLon) = origin ? (lat, lon, dLat, dLon) : (oLat, oLon, lat, lon);
                seen |= origin ? Seen.Origin : Seen.Destination;
            }
            else if (reader.ValueTextEquals("comfort"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !ComfortNames.TryParse(reader.ValueSpan, out comfort))
                {
                    rejection = Schema("$.comfort", "must be low, medium or high");
                    return false;
                }

                seen |= Seen.Comfort;
            }
            else if (TryNumber(ref reader, "duration_min"u8, "$.duration_min", Seen.DurationMin, ref duration, ref seen, out rejection)
                || TryNumber(ref reader, "price_base"u8, "$.price_base", Seen.PriceBase, ref priceBase, ref seen, out rejection)
                || TryNumber(ref reader, "price_per_km"u8, "$.price_per_km", Seen.PricePerKm, ref perKm, ref seen, out rejection)
                || TryNumber(ref reader, "price_per_min"u8, "$.price_per_min", Seen.PricePerMin, ref perMin, ref seen, out rejection)
                || TryNumber(ref reader, "distance_km"u8, "$.distance_km", Seen.DistanceKm, ref distance, ref seen, out rejection)
                || TryNumber(ref reader, "price_total"u8, "$.price_total", Seen.PriceTotal, ref total, ref seen, out rejection))
            {
                if (rejection.Message is not null)
                {
                    return false;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        foreach (var (field, name) in Required)
        {
            if ((seen & field) == 0)
            {
                rejection = Schema("$." + name, "is required");
                return false;
            }
        }

        ride = new FlatRide(rideId, ts, comfort, oLat, oLon, dLat, dLon, duration, priceBase, perKm, perMin, distance, total,
            DateTime.SpecifyKind(agentTimestampUtc, DateTimeKind.Utc));
        rejection = default;
        return true;
    }

    /// <summary>True when the property is <paramref name="name"/> (then read into <paramref name="value"/>, or a rejection set).</summary>
    private static bool TryNumber(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, string path, Seen field, ref double value, ref Seen seen, out Rejection rejection)
    {
        rejection = default;
        if (!reader.ValueTextEquals(name))
        {
            return false;
        }

        reader.Read();
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value) || !double.IsFinite(value))
        {
            rejection = Schema(path, "must be a finite number");
            return true;
        }

        seen |= field;
        return true;
    }

    private static bool TryReadPoint(ref Utf8JsonReader reader, string path, out double lat, out double lon, out Rejection rejection)
    {
        lat = lon = 0;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            rejection = Schema(path, "must be an object with lat and lon");
            return false;
        }

        bool hasLat = false, hasLon = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isLat = reader.ValueTextEquals("lat"u8);
            bool isLon = reader.ValueTextEquals("lon"u8);
            reader.Read();
            if (!isLat && !isLon)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double value) || !double.IsFinite(value))
            {
                rejection = Schema(path + (isLat ? ".lat" : ".lon"), "must be a finite number");
                return false;
            }

            (lat, hasLat) = isLat ? (value, true) : (lat, hasLat);
            (lon, hasLon) = isLon ? (value, true) : (lon, hasLon);
        }

        if (!hasLat || !hasLon)
        {
            rejection = Schema(path + (hasLat ? ".lon" : ".lat"), "is required");
            return false;
        }

        rejection = default;
        return true;
    }

    private static Rejection Schema(string path, string message) => new(RejectionKind.Schema, path, message);
}
