using System.Text;

namespace Datastream.Tests;

/// <summary>The parts of a multipart/form-data body (RFC 7578), split by the boundary its Content-Type names.</summary>
internal static class MultipartBody
{
    internal sealed record Part(IReadOnlyDictionary<string, string> Headers, byte[] Content);

    public static IReadOnlyList<Part> Parse(string contentType, byte[] body)
    {
        string boundary = contentType.Split(';').Select(p => p.Trim())
            .Single(p => p.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))["boundary=".Length..].Trim('"');
        byte[] delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var parts = new List<Part>();
        int position = IndexOf(body, delimiter, 0);
        Assert.True(position == 0, "a multipart body starts with its boundary");
        while (true)
        {
            position += delimiter.Length;
            if (body.AsSpan(position).StartsWith("--"u8))
            {
                return parts;
            }

            Assert.True(body.AsSpan(position).StartsWith("\r\n"u8), "a boundary line ends with CRLF");
            position += 2;
            int next = IndexOf(body, delimiter, position);
            Assert.True(next > position, "every part ends with a boundary");
            // The part ends with the CRLF that precedes the next boundary.
            var part = body.AsSpan(position, next - position - 2);
            int headerEnd = part.IndexOf("\r\n\r\n"u8);
            var headers = Encoding.ASCII.GetString(part[..headerEnd]).Split("\r\n")
                .Select(h => h.Split(':', 2))
                .ToDictionary(h => h[0].Trim().ToLowerInvariant(), h => h[1].Trim(), StringComparer.Ordinal);
            parts.Add(new Part(headers, part[(headerEnd + 4)..].ToArray()));
            position = next;
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        int found = haystack.AsSpan(from).IndexOf(needle);
        return found < 0 ? -1 : from + found;
    }
}
