namespace Datastream.Embedded.Index;

/// <summary>Instants as stored in the index: integer milliseconds since the Unix epoch, UTC.</summary>
internal static class UnixMilliseconds
{
    private const long MillisecondsPerMinute = 60_000;

    /// <summary>Unspecified kinds are taken as UTC (the domain only carries UTC); local times are converted.</summary>
    public static long From(DateTime instant)
    {
        var utc = instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : instant;
        // Floor, not truncation, so instants before 1970 still land in the right millisecond.
        return FloorDiv(utc.Ticks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerMillisecond);
    }

    public static DateTime ToUtc(long milliseconds) =>
        new(DateTime.UnixEpoch.Ticks + milliseconds * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>The start of the minute holding the instant, in Unix milliseconds.</summary>
    public static long MinuteOf(long milliseconds) => FloorDiv(milliseconds, MillisecondsPerMinute) * MillisecondsPerMinute;

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}
