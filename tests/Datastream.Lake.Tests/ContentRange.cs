using System.Globalization;

namespace Datastream.Lake.Tests;

/// <summary>The Content-Range of a resumable upload chunk: "bytes a-b/total", "bytes a-b/*" or "bytes */total".</summary>
internal static class ContentRange
{
    public static bool TryParse(string header, out long? first, out long? last, out long? total)
    {
        first = last = total = null;
        if (!header.StartsWith("bytes ", StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header["bytes ".Length..];
        var slash = spec.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        var range = spec[..slash];
        var size = spec[(slash + 1)..];
        if (size != "*")
        {
            if (!long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                return false;
            }

            total = t;
        }

        if (range == "*")
        {
            return total is not null;
        }

        var dash = range.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(range[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            || !long.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            || b < a
            || (total is not null && b >= total))
        {
            return false;
        }

        first = a;
        last = b;
        return true;
    }
}
