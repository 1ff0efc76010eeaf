namespace Datastream.Core.Rides;

/// <summary>
/// A fast path for the common ts shape "yyyy-MM-ddTHH:mm:ss[.fffffff](Z|±hh:mm)", read to UTC in a few ns.
/// Any other text returns false and goes to the framework's ISO-8601 parser, so the accepted set is the same
/// (offsets up to ±14:00, as DateTimeOffset allows).
/// </summary>
internal static class OffsetTimestamp
{
    public static bool TryParseUtc(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!TryDigits(text[..4], out int year) || !TryDigits(text.Slice(5, 2), out int month) || !TryDigits(text.Slice(8, 2), out int day)
            || !TryDigits(text.Slice(11, 2), out int hour) || !TryDigits(text.Slice(14, 2), out int minute) || !TryDigits(text.Slice(17, 2), out int second))
        {
            return false;
        }

        int at = 19;
        long fractionTicks = 0;
        if (text[at] == '.')
        {
            int start = ++at;
            while (at < text.Length && (uint)(text[at] - '0') <= 9)
            {
                at++;
            }

            int length = at - start;
            if (length is < 1 or > 7 || !TryDigits(text.Slice(start, length), out int fraction))
            {
                return false;
            }

            fractionTicks = fraction;
            for (int i = length; i < 7; i++)
            {
                fractionTicks *= 10;
            }
        }

        long offsetTicks;
        ReadOnlySpan<byte> zone = text[at..];
        if (zone.Length == 1 && zone[0] == 'Z')
        {
            offsetTicks = 0;
        }
        else if (zone.Length == 6 && zone[0] is (byte)'+' or (byte)'-' && zone[3] == ':'
            && TryDigits(zone.Slice(1, 2), out int offsetHours) && TryDigits(zone.Slice(4, 2), out int offsetMinutes)
            && offsetMinutes < 60 && offsetHours * 60 + offsetMinutes <= 14 * 60)
        {
            offsetTicks = (offsetHours * TimeSpan.TicksPerHour + offsetMinutes * TimeSpan.TicksPerMinute) * (zone[0] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks - offsetTicks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (byte b in text)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            value = value * 10 + (int)digit;
        }

        return true;
    }
}
