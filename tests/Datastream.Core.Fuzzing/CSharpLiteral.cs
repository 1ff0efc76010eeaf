using System.Buffers;
using System.Globalization;
using System.Text;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// An input as a C# expression to paste into a test: a "..."u8 literal when it is valid UTF-8, else a byte
/// array of the valid runs and the invalid bytes, e.g. <c>[.. "{\"a\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8]</c>.
/// </summary>
public static class CSharpLiteral
{
    public static string Of(byte[] bytes)
    {
        var parts = new List<string>();
        var text = new StringBuilder();
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(rest, out Rune rune, out int consumed) == OperationStatus.Done)
            {
                Append(text, rune);
            }
            else
            {
                Flush(text, parts);
                parts.AddRange(rest[..consumed].ToArray().Select(b => "0x" + b.ToString("X2", CultureInfo.InvariantCulture)));
            }

            rest = rest[consumed..];
        }

        if (parts.Count == 0)
        {
            return "\"" + text + "\"u8";
        }

        Flush(text, parts);
        return "[" + string.Join(", ", parts) + "]";
    }

    private static void Flush(StringBuilder text, List<string> parts)
    {
        if (text.Length > 0)
        {
            parts.Add(".. \"" + text + "\"u8");
            text.Clear();
        }
    }

    private static void Append(StringBuilder text, Rune rune)
    {
        switch (rune.Value)
        {
            case '"':
                text.Append("\\\"");
                break;
            case '\\':
                text.Append("\\\\");
                break;
            case >= ' ' and <= '~':
                text.Append((char)rune.Value);
                break;
            case <= 0xFFFF:
                text.Append("\\u").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture));
                break;
            default:
                text.Append("\\U").Append(rune.Value.ToString("X8", CultureInfo.InvariantCulture));
                break;
        }
    }
}
