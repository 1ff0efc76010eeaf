using System.Buffers.Text;

namespace Datastream.Core.Rides;

/// <summary>
/// The common case of a rides_raw record, read without Utf8JsonReader (which was about half of compute-cost's time
/// per record): one flat object of the standard format, plain strings, plain decimals, every value valid. It
/// accepts only what <see cref="RideRecordParser"/> accepts, with the same fields and canonical texts; on anything
/// else (an error, an escape, a nested unknown value, an exponent, another timestamp shape, the course format) it
/// returns false and the record goes through the full parser, so every rejection and its message come from there.
/// </summary>
internal static class RideRecordShortcut
{
    // Unknown members (checked for duplicates here by their raw names, as nothing is escaped) beyond this are rare.
    private const int MaxUnknownMembers = 4;

    /// <summary>True when <paramref name="payload"/> (valid UTF-8) is a valid ride of the common shape, read into <paramref name="ride"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, RideLimits limits, DateTime nowUtc, out RideFields ride)
    {
        ride = default;
        var json = new PlainJsonScanner(payload);
        if (!json.TryConsume((byte)'{'))
        {
            return false;
        }

        Span<Range> unknown = stackalloc Range[MaxUnknownMembers];
        int unknownCount = 0;
        RideField seen = RideField.None;
        bool more;
        do
        {
            if (!json.TryReadString(out ReadOnlySpan<byte> name, out int nameStart) || !json.TryConsume((byte)':'))
            {
                return false;
            }

            RideField field = RideFieldNames.Classify(name);
            if (field is RideField.Unknown or RideField.DistanceKm or RideField.PriceTotal)
            {
                // The full parser checks nested unknown objects for duplicate keys; leave those to it.
                if (unknownCount == MaxUnknownMembers || IsDuplicate(payload, unknown[..unknownCount], name) || !TrySkipScalar(ref json))
                {
                    return false;
                }

                unknown[unknownCount++] = new Range(nameStart, nameStart + name.Length);
            }
            else if ((seen & field) != 0 || !TryReadField(ref json, field, limits, nowUtc, ref ride))
            {
                return false; // a duplicate, the course format's data, or a value the full parser must judge
            }

            seen |= field;
            if (!json.TryEndMember(out more))
            {
                return false;
            }
        }
        while (more);

        return json.IsAtEnd() && (seen & RideField.RawRequired) == RideField.RawRequired;
    }

    private static bool TryReadField(ref PlainJsonScanner json, RideField field, RideLimits limits, DateTime nowUtc, ref RideFields ride) => field switch
    {
        RideField.RideId => TryReadRideId(ref json, ref ride),
        RideField.Ts => TryReadTs(ref json, limits, nowUtc, ref ride),
        RideField.Origin => TryReadPoint(ref json, ref ride.Origin, ref ride.OriginLatText, ref ride.OriginLonText),
        RideField.Destination => TryReadPoint(ref json, ref ride.Destination, ref ride.DestinationLatText, ref ride.DestinationLonText),
        RideField.Comfort => json.TryReadString(out ReadOnlySpan<byte> comfort, out _) && ComfortNames.TryParse(comfort, out ride.Comfort),
        RideField.DurationMin => TryReadAmount(ref json, limits.MaxDurationMin, out ride.DurationMin, out ride.DurationMinText),
        RideField.PriceBase => TryReadAmount(ref json, limits.MaxPriceBase, out ride.PriceBase, out ride.PriceBaseText),
        RideField.PricePerKm => TryReadAmount(ref json, limits.MaxPricePerKm, out ride.PricePerKm, out ride.PricePerKmText),
        RideField.PricePerMin => TryReadAmount(ref json, limits.MaxPricePerMin, out ride.PricePerMin, out ride.PricePerMinText),
        _ => false,
    };

    /// <summary>As RideRecordParser: the 36-character 'D' form only; canonical when lower-case.</summary>
    private static bool TryReadRideId(ref PlainJsonScanner json, ref RideFields ride)
    {
        if (!json.TryReadString(out ReadOnlySpan<byte> text, out int start) || text.Length != 36
            || !Utf8Parser.TryParse(text, out ride.RideId, out int consumed, 'D') || consumed != 36)
        {
            return false;
        }

        if (!text.ContainsAnyInRange((byte)'A', (byte)'F'))
        {
            ride.RideIdText = new CanonicalText(start, text.Length);
        }

        return true;
    }

    /// <summary>The fast timestamp shape only (the others need the reader's ISO-8601 parser), within the limits.</summary>
    private static bool TryReadTs(ref PlainJsonScanner json, RideLimits limits, DateTime nowUtc, ref RideFields ride)
    {
        if (!json.TryReadString(out ReadOnlySpan<byte> text, out int start) || !OffsetTimestamp.TryParseUtc(text, out ride.TsUtc)
            || limits.CheckTs(ride.TsUtc, nowUtc) is not null)
        {
            return false;
        }

        if (text.Length == UtcTimestamp.Length && text[19] == (byte)'.' && text[^1] == (byte)'Z')
        {
            ride.TsText = new CanonicalText(start, text.Length);
        }

        return true;
    }

    /// <summary>An object of exactly lat and lon (in either order), both in range.</summary>
    private static bool TryReadPoint(ref PlainJsonScanner json, ref GeoPoint point, ref CanonicalText latText, ref CanonicalText lonText)
    {
        if (!json.TryConsume((byte)'{'))
        {
            return false;
        }

        double lat = 0, lon = 0;
        bool seenLat = false, seenLon = false;
        bool more;
        do
        {
            if (!json.TryReadName(out ReadOnlySpan<byte> name))
            {
                return false;
            }

            bool isLat = name.SequenceEqual("lat"u8);
            if (isLat ? seenLat : (seenLon || !name.SequenceEqual("lon"u8)))
            {
                return false; // a duplicate or another member: the full parser checks and names them
            }

            if (isLat)
            {
                seenLat = TryReadDecimal(ref json, -90, 90, out lat, out latText);
            }
            else
            {
                seenLon = TryReadDecimal(ref json, -180, 180, out lon, out lonText);
            }

            if (!(isLat ? seenLat : seenLon) || !json.TryEndMember(out more))
            {
                return false;
            }
        }
        while (more);

        point = new GeoPoint(lat, lon);
        return seenLat && seenLon;
    }

    private static bool TryReadAmount(ref PlainJsonScanner json, double max, out double value, out CanonicalText text)
        => TryReadDecimal(ref json, 0, max, out value, out text); // -0 passes, as in the full parser

    /// <summary>A plain decimal (see PlainDecimal) in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private static bool TryReadDecimal(ref PlainJsonScanner json, double min, double max, out double value, out CanonicalText text)
    {
        value = 0;
        text = default;
        if (!json.TryReadNumber(out ReadOnlySpan<byte> number, out int start) || !PlainDecimal.TryParse(number, out value, out bool canonical)
            || value < min || value > max)
        {
            return false;
        }

        if (canonical)
        {
            text = new CanonicalText(start, number.Length);
        }

        return true;
    }

    private static bool TrySkipScalar(ref PlainJsonScanner json)
        => !json.TryConsume((byte)'{') && !json.TryConsume((byte)'[') && json.TrySkipValue();

    private static bool IsDuplicate(ReadOnlySpan<byte> payload, ReadOnlySpan<Range> names, ReadOnlySpan<byte> name)
    {
        foreach (Range other in names)
        {
            if (payload[other].SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }
}
