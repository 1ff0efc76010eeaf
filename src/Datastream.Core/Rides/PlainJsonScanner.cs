using System.Buffers;

namespace Datastream.Core.Rides;

/// <summary>
/// A strict forward scanner of plain JSON: the grammar of RFC 8259 (as Utf8JsonReader checks it, comments
/// disallowed), restricted to strings without escapes or control characters. Every method returns false on
/// anything else, valid or not, and never says why: callers use it for a shortcut over the common shape of a ride
/// document and hand the whole document to Utf8JsonReader when it gives up, so every rejection, and every rare
/// spelling, still goes through the full parser. The caller has checked that the text is valid UTF-8.
/// </summary>
internal ref struct PlainJsonScanner(ReadOnlySpan<byte> json)
{
    // Deeper values are legal (up to the reader's MaxDepth of 64) but no ride document has them.
    private const int MaxSkipDepth = 16;

    // What ends a string's plain run: its closing quote, or a byte that makes it escaped or invalid.
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        "\"\\\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"u8);

    private readonly ReadOnlySpan<byte> _json = json;
    private int _at;

    /// <summary>Skips whitespace and the structural byte <paramref name="expected"/> ({ } [ ] : ,) when it comes next.</summary>
    public bool TryConsume(byte expected)
    {
        SkipWhitespace();
        if (_at < _json.Length && _json[_at] == expected)
        {
            _at++;
            return true;
        }

        return false;
    }

    /// <summary>After a member's value: true with <paramref name="more"/> on ',' (another member follows), true without on '}'.</summary>
    public bool TryEndMember(out bool more)
    {
        more = TryConsume((byte)',');
        return more || TryConsume((byte)'}');
    }

    /// <summary>Reads a member's name and the ':' after it.</summary>
    public bool TryReadName(out ReadOnlySpan<byte> name) => TryReadString(out name, out _) && TryConsume((byte)':');

    /// <summary>A string without escapes; <paramref name="start"/> is where its text (after the quote) sits in the document.</summary>
    public bool TryReadString(out ReadOnlySpan<byte> text, out int start)
    {
        text = default;
        start = 0;
        if (!TryConsume((byte)'"'))
        {
            return false;
        }

        int length = _json[_at..].IndexOfAny(StringStops);
        if (length < 0 || _json[_at + length] != (byte)'"')
        {
            return false;
        }

        start = _at;
        text = _json.Slice(_at, length);
        _at += length + 1;
        return true;
    }

    /// <summary>A number token, checked against JSON's grammar and followed by what may follow a value in a container.</summary>
    public bool TryReadNumber(out ReadOnlySpan<byte> text, out int start)
    {
        text = default;
        SkipWhitespace();
        start = _at;
        int at = _at;
        if (at < _json.Length && _json[at] == (byte)'-')
        {
            at++;
        }

        if (at < _json.Length && _json[at] == (byte)'0')
        {
            at++;
        }
        else if (!SkipDigits(ref at))
        {
            return false;
        }

        if (at < _json.Length && _json[at] == (byte)'.')
        {
            at++;
            if (!SkipDigits(ref at))
            {
                return false;
            }
        }

        if (at < _json.Length && (_json[at] | 0x20) == (byte)'e')
        {
            at++;
            if (at < _json.Length && _json[at] is (byte)'+' or (byte)'-')
            {
                at++;
            }

            if (!SkipDigits(ref at))
            {
                return false;
            }
        }

        if (at >= _json.Length || !EndsValue(_json[at]))
        {
            return false;
        }

        text = _json[start..at];
        _at = at;
        return true;
    }

    /// <summary>Steps over any plain value (nested objects and arrays too, without looking at their keys).</summary>
    public bool TrySkipValue() => TrySkipValue(0);

    /// <summary>True when nothing but whitespace is left.</summary>
    public bool IsAtEnd()
    {
        SkipWhitespace();
        return _at == _json.Length;
    }

    private bool TrySkipValue(int depth)
    {
        SkipWhitespace();
        if (_at >= _json.Length)
        {
            return false;
        }

        switch (_json[_at])
        {
            case (byte)'"':
                return TryReadString(out _, out _);
            case (byte)'{':
                _at++;
                if (depth == MaxSkipDepth)
                {
                    return false;
                }

                if (TryConsume((byte)'}'))
                {
                    return true;
                }

                bool more;
                do
                {
                    if (!TryReadName(out _) || !TrySkipValue(depth + 1) || !TryEndMember(out more))
                    {
                        return false;
                    }
                }
                while (more);

                return true;
            case (byte)'[':
                _at++;
                if (depth == MaxSkipDepth)
                {
                    return false;
                }

                if (TryConsume((byte)']'))
                {
                    return true;
                }

                do
                {
                    if (!TrySkipValue(depth + 1))
                    {
                        return false;
                    }
                }
                while (TryConsume((byte)','));

                return TryConsume((byte)']');
            case (byte)'t':
                return TrySkipLiteral("true"u8);
            case (byte)'f':
                return TrySkipLiteral("false"u8);
            case (byte)'n':
                return TrySkipLiteral("null"u8);
            default:
                return TryReadNumber(out _, out _);
        }
    }

    private bool TrySkipLiteral(ReadOnlySpan<byte> literal)
    {
        int end = _at + literal.Length;
        if (end >= _json.Length || !_json.Slice(_at, literal.Length).SequenceEqual(literal) || !EndsValue(_json[end]))
        {
            return false;
        }

        _at = end;
        return true;
    }

    private bool SkipDigits(ref int at)
    {
        int start = at;
        while (at < _json.Length && (uint)(_json[at] - '0') <= 9)
        {
            at++;
        }

        return at > start;
    }

    private void SkipWhitespace()
    {
        while (_at < _json.Length && IsWhitespace(_json[_at]))
        {
            _at++;
        }
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    // Inside a container a scalar is followed by whitespace, a separator or the container's end; "1x", "truex" are invalid.
    private static bool EndsValue(byte b) => IsWhitespace(b) || b is (byte)',' or (byte)'}' or (byte)']';
}
