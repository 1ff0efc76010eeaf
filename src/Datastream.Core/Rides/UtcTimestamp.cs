namespace Datastream.Core.Rides;

/// <summary>
/// The one timestamp shape of every Datastream document: ISO-8601 UTC with milliseconds and a Z
/// ("2025-10-30T16:09:47.123Z"). Fixed width, so timestamps also sort as text; sub-millisecond digits are
/// truncated, as no consumer (Elasticsearch date, Parquet millis) keeps them.
/// </summary>
public static class UtcTimestamp
{
    public const int Length = 24;

    /// <summary>Reads Unspecified as UTC (log timestamps arrive that way) and converts Local.</summary>
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>Writes exactly <see cref="Length"/> ASCII bytes.</summary>
    public static void Format(DateTime value, Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"needs {Length} bytes", nameof(destination));
        }

        DateTime utc = ToUtc(value);
        Digits(destination[..4], utc.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), utc.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), utc.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), utc.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), utc.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), utc.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), utc.Millisecond);
        destination[23] = (byte)'Z';
    }

    public static string Format(DateTime value)
    {
        Span<byte> bytes = stackalloc byte[Length];
        Format(value, bytes);
        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
