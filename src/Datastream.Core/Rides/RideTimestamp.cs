using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// Reads a ride's ts (SPEC §3.1): ISO-8601 with an explicit offset, normalized to UTC. The common shape goes
/// through <see cref="OffsetTimestamp"/> in a few ns, anything else through the reader's ISO-8601 parser.
/// </summary>
internal static class RideTimestamp
{
    public const string NotIso8601 = "must be an ISO-8601 timestamp";

    /// <summary>
    /// Null when the string token the reader is on (<paramref name="text"/>: its unescaped value) is a timestamp,
    /// else why not. <paramref name="isCommonShape"/> says the fast path read it.
    /// </summary>
    public static string? TryRead(in Utf8JsonReader reader, ReadOnlySpan<byte> text, out DateTime utc, out bool isCommonShape)
    {
        isCommonShape = OffsetTimestamp.TryParseUtc(text, out utc);
        if (isCommonShape)
        {
            return null;
        }

        if (!reader.TryGetDateTimeOffset(out DateTimeOffset parsed))
        {
            return NotIso8601;
        }

        // The reader reads a timestamp without offset as local time: that guess is what §3.1 forbids.
        if (!HasExplicitOffset(text))
        {
            return "must have an explicit UTC offset (Z or +hh:mm)";
        }

        utc = parsed.UtcDateTime;
        return null;
    }

    private static bool HasExplicitOffset(ReadOnlySpan<byte> text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        if (text[^1] is (byte)'Z' or (byte)'z')
        {
            return true;
        }

        return text.Length >= 6 && text[^6] is (byte)'+' or (byte)'-' && text[^3] == (byte)':' && text[..^6].Contains((byte)'T');
    }
}
