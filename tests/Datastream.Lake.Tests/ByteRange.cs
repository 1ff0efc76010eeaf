using System.Globalization;

namespace Datastream.Lake.Tests;

/// <summary>A download's Range header, "bytes=a-b" or "bytes=a-", resolved against the object's length.</summary>
internal static class ByteRange
{
    public static bool TryParse(string header, long length, out long from, out long to)
    {
        from = to = 0;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(','))
        {
            return false;
        }

        var spec = header["bytes=".Length..];
        var dash = spec.IndexOf('-');
        if (dash <= 0 || !long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            return false;
        }

        to = length - 1;
        if (dash < spec.Length - 1)
        {
            if (!long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) || end < from)
            {
                return false;
            }

            to = Math.Min(end, length - 1);
        }

        return from < length;
    }
}
