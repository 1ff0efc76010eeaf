using System.Buffers.Text;

namespace Datastream.Core.Rides;

/// <summary>
/// The common case of a rides_result document, flattened without Utf8JsonReader or the framework's double parser:
/// what compute-cost writes (plain strings, plain decimals, the fast timestamp shape), in any member order, with
/// unknown members (client, driver) stepped over. It accepts only what <see cref="TransformJson"/>'s full reading
/// accepts, with the same values; on anything else it returns false and the document is read again by the full
/// reading, which decides and names every rejection.
/// </summary>
internal static class RideResultShortcut
{
    /// <summary>True when <paramref name="result"/> (valid UTF-8) is a valid rides_result document of the common shape.</summary>
    public static bool TryRead(ReadOnlySpan<byte> result, RideLimits limits, DateTime agentTimestampUtc, out FlatRide ride)
    {
        ride = default;
        var json = new PlainJsonScanner(result);
        if (!json.TryConsume((byte)'{'))
        {
            return false;
        }

        Guid rideId = default;
        DateTime ts = default;
        Comfort comfort = default;
        double originLat = 0, originLon = 0, destinationLat = 0, destinationLon = 0;
        double durationMin = 0, priceBase = 0, pricePerKm = 0, pricePerMin = 0, distanceKm = 0, priceTotal = 0;
        RideField seen = RideField.None;
        bool more;
        do
        {
            if (!json.TryReadName(out ReadOnlySpan<byte> name))
            {
                return false;
            }

            RideField field = RideFieldNames.Classify(name);
            if (field is RideField.Unknown or RideField.Data)
            {
                if (!json.TrySkipValue())
                {
                    return false;
                }
            }
            else if ((seen & field) != 0 || !(field switch
            {
                RideField.RideId => TryReadRideId(ref json, out rideId),
                RideField.Ts => TryReadTs(ref json, limits, agentTimestampUtc, out ts),
                RideField.Origin => TryReadPoint(ref json, out originLat, out originLon),
                RideField.Destination => TryReadPoint(ref json, out destinationLat, out destinationLon),
                RideField.Comfort => json.TryReadString(out ReadOnlySpan<byte> text, out _) && ComfortNames.TryParse(text, out comfort),
                RideField.DurationMin => TryReadNumber(ref json, 0, limits.MaxDurationMin, out durationMin),
                RideField.PriceBase => TryReadNumber(ref json, 0, limits.MaxPriceBase, out priceBase),
                RideField.PricePerKm => TryReadNumber(ref json, 0, limits.MaxPricePerKm, out pricePerKm),
                RideField.PricePerMin => TryReadNumber(ref json, 0, limits.MaxPricePerMin, out pricePerMin),
                RideField.DistanceKm => TryReadNumber(ref json, 0, RideLimits.MaxDistanceKm, out distanceKm),
                _ => TryReadNumber(ref json, 0, limits.MaxPriceTotal, out priceTotal),
            }))
            {
                return false;
            }

            seen |= field;
            if (!json.TryEndMember(out more))
            {
                return false;
            }
        }
        while (more);

        if (!json.IsAtEnd() || (seen & RideField.ResultRequired) != RideField.ResultRequired)
        {
            return false;
        }

        ride = new FlatRide(rideId, ts, comfort, originLat, originLon, destinationLat, destinationLon, durationMin, priceBase, pricePerKm, pricePerMin,
            distanceKm, priceTotal, DateTime.SpecifyKind(agentTimestampUtc, DateTimeKind.Utc));
        return true;
    }

    /// <summary>What Utf8JsonReader.TryGetGuid takes from an unescaped string: the 36-character 'D' form.</summary>
    private static bool TryReadRideId(ref PlainJsonScanner json, out Guid rideId)
    {
        rideId = default;
        return json.TryReadString(out ReadOnlySpan<byte> text, out _) && text.Length == 36
            && Utf8Parser.TryParse(text, out rideId, out int consumed, 'D') && consumed == 36;
    }

    private static bool TryReadTs(ref PlainJsonScanner json, RideLimits limits, DateTime now, out DateTime tsUtc)
    {
        tsUtc = default;
        return json.TryReadString(out ReadOnlySpan<byte> text, out _) && OffsetTimestamp.TryParseUtc(text, out tsUtc) && limits.CheckTs(tsUtc, now) is null;
    }

    /// <summary>An object with one lat and one lon in range; other members are stepped over, as the full reading does.</summary>
    private static bool TryReadPoint(ref PlainJsonScanner json, out double lat, out double lon)
    {
        lat = lon = 0;
        if (!json.TryConsume((byte)'{'))
        {
            return false;
        }

        bool seenLat = false, seenLon = false;
        bool more;
        do
        {
            if (!json.TryReadName(out ReadOnlySpan<byte> name))
            {
                return false;
            }

            bool ok;
            if (name.SequenceEqual("lat"u8))
            {
                ok = !seenLat && TryReadNumber(ref json, -90, 90, out lat);
                seenLat = true;
            }
            else if (name.SequenceEqual("lon"u8))
            {
                ok = !seenLon && TryReadNumber(ref json, -180, 180, out lon);
                seenLon = true;
            }
            else
            {
                ok = json.TrySkipValue();
            }

            if (!ok || !json.TryEndMember(out more))
            {
                return false;
            }
        }
        while (more);

        return seenLat && seenLon;
    }

    /// <summary>A plain decimal (exactly what TryGetDouble reads, see PlainDecimal) in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static bool TryReadNumber(ref PlainJsonScanner json, double min, double max, out double value)
    {
        value = 0;
        return json.TryReadNumber(out ReadOnlySpan<byte> text, out _) && PlainDecimal.TryParse(text, out value) && value >= min && value <= max;
    }
}
