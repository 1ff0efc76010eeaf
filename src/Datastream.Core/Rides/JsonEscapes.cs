using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// Finds escaped lone surrogates ("\ud800" alone, "\udc00" first) in escaped JSON text. They are legal JSON
/// grammar but no Unicode text: Utf8JsonReader's CopyString, GetString and ValueTextEquals throw
/// InvalidOperationException on them, so parsers look before they unescape and reject the record instead.
/// </summary>
internal static class JsonEscapes
{
    /// <summary>True when the name or string the reader is on cannot be unescaped (it holds an escaped lone surrogate).</summary>
    public static bool IsUnreadable(in Utf8JsonReader reader) => reader.ValueIsEscaped && HasLoneSurrogate(reader.ValueSpan);

    /// <summary>
    /// The string token's bytes: the raw span when nothing is escaped (the usual case), else unescaped into
    /// <paramref name="buffer"/>. False when it cannot be read (<paramref name="unreadable"/>: a lone surrogate) or does
    /// not fit the buffer (longer than any valid value of the field).
    /// </summary>
    public static bool TryUnescape(in Utf8JsonReader reader, Span<byte> buffer, out ReadOnlySpan<byte> text, out bool unreadable)
    {
        text = default;
        unreadable = false;
        if (!reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
            return true;
        }

        if (HasLoneSurrogate(reader.ValueSpan))
        {
            unreadable = true;
            return false;
        }

        if (reader.ValueSpan.Length > buffer.Length)
        {
            return false;
        }

        text = buffer[..reader.CopyString(buffer)];
        return true;
    }

    /// <summary>
    /// True when <paramref name="escaped"/> (a string token's raw bytes, or a whole JSON text whose grammar the reader
    /// has checked) holds a \uXXXX surrogate that is not half of a high-low pair.
    /// </summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<byte> escaped)
    {
        int i = escaped.IndexOf((byte)'\\');
        if (i < 0)
        {
            return false;
        }

        bool awaitingLow = false;
        for (; i < escaped.Length; i++)
        {
            if (escaped[i] != (byte)'\\' || i + 1 >= escaped.Length)
            {
                if (awaitingLow)
                {
                    return true;
                }

                continue;
            }

            if (escaped[i + 1] != (byte)'u' || i + 5 >= escaped.Length || !TryHex(escaped.Slice(i + 2, 4), out int unit))
            {
                // "\n", "\\", "\"", ...: one escaped character that is not a low surrogate.
                if (awaitingLow)
                {
                    return true;
                }

                i++;
                continue;
            }

            i += 5;
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (awaitingLow)
                {
                    return true;
                }

                awaitingLow = true;
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                if (!awaitingLow)
                {
                    return true;
                }

                awaitingLow = false;
            }
            else if (awaitingLow)
            {
                return true;
            }
        }

        return awaitingLow;
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
