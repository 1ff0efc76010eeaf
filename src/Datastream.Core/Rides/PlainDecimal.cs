namespace Datastream.Core.Rides;

/// <summary>
/// Fast paths for the numbers rides are made of: plain decimals of at most 15 significant digits (coordinates,
/// prices, durations). General double parsing and shortest formatting cost a few hundred ns each, and a record
/// has twenty of them; for these inputs an exact shortcut exists. Anything else returns false and the caller
/// falls back to the framework, so results are always identical to it.
/// </summary>
internal static class PlainDecimal
{
    private const int MaxDigits = 15;
    private const int FewDecimals = 3;

    // Below this the framework switches to exponent notation (1E-05); 1e15 and up have more than 15 digits.
    private const double MinFixedMagnitude = 1e-4;

    // 10^0..10^22 are exact doubles, which is what makes the shortcuts below exact.
    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses JSON number text without exponent and with at most 15 digits. Both the digits (&lt; 2^53) and
    /// 10^fraction are exact doubles, and IEEE division rounds correctly, so this equals a correct parser (Clinger).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value) => TryParse(text, out value, out _);

    /// <summary>
    /// As <see cref="TryParse(ReadOnlySpan{byte}, out double)"/>, and also tells whether <paramref name="text"/>
    /// is exactly what <see cref="TryFormat"/> (or, for 0, the framework) writes for the value: no leading zero,
    /// no trailing zero after the point, not -0, and a magnitude the writer puts in fixed notation. A decimal of
    /// at most 15 significant digits is the only one of its length or shorter that reads back as its double, so
    /// the shortest round-trip text of the value is these very digits.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value, out bool canonical)
    {
        value = 0;
        canonical = false;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        bool inFraction = false;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                // Leading zeros do not count against precision.
                if (mantissa != 0 || digit != 0)
                {
                    digits++;
                }

                mantissa = mantissa * 10 + digit;
                if (inFraction)
                {
                    fractionDigits++;
                }
            }
            else if (text[i] == (byte)'.' && !inFraction)
            {
                inFraction = true;
            }
            else
            {
                return false; // exponent: leave to the framework
            }
        }

        if (digits > MaxDigits || fractionDigits >= PowersOfTen.Length)
        {
            return false;
        }

        double magnitude = mantissa / PowersOfTen[fractionDigits];
        value = negative ? -magnitude : magnitude;
        int integerStart = negative ? 1 : 0;
        bool leadingZero = text.Length > integerStart + 1 && text[integerStart] == (byte)'0' && text[integerStart + 1] != (byte)'.';
        bool trailingZero = inFraction && text[^1] == (byte)'0';
        canonical = text.Length > integerStart && !leadingZero && !trailingZero
            && (mantissa == 0 ? !negative && !inFraction : magnitude >= MinFixedMagnitude);
        return true;
    }

    /// <summary>
    /// Writes the shortest round-trip text of <paramref name="value"/> in fixed notation, as the framework would,
    /// for magnitudes in [1e-4, 1e15) that have a decimal form of at most 15 significant digits. Rounds to 15
    /// significant digits, drops trailing zeros and checks that the result reads back as exactly
    /// <paramref name="value"/>; two decimals of at most 15 digits never share a double, so it is the shortest.
    /// </summary>
    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        written = 0;
        double magnitude = Math.Abs(value);
        if (!(magnitude >= MinFixedMagnitude && magnitude < 1e15) || destination.Length < 32)
        {
            return false; // 0 and -0, exponent notation and non-finite values stay with the framework
        }

        if (TryFormatFewDecimals(magnitude, value < 0, destination, out written))
        {
            return true;
        }

        int fraction;
        if (magnitude >= 1)
        {
            int integerDigits = 1;
            while (integerDigits < MaxDigits && magnitude >= PowersOfTen[integerDigits])
            {
                integerDigits++;
            }

            fraction = MaxDigits - integerDigits;
        }
        else
        {
            int leadingZeros = 0;
            while (magnitude * PowersOfTen[leadingZeros + 1] < 1)
            {
                leadingZeros++;
            }

            fraction = MaxDigits + leadingZeros;
        }

        double scaled = Math.Round(magnitude * PowersOfTen[fraction]);
        if (scaled >= 1e15)
        {
            return false;
        }

        long mantissa = (long)scaled;
        while (fraction > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            fraction--;
        }

        if (mantissa / PowersOfTen[fraction] != magnitude)
        {
            return false;
        }

        written = Write(mantissa, fraction, value < 0, destination);
        return true;
    }

    /// <summary>
    /// The common case first: distances have 3 decimals, prices 2, durations 1. The first fraction length whose
    /// digits read back as exactly <paramref name="magnitude"/> gives the one decimal of at most 15 digits that
    /// does (see TryFormat), without trailing zeros since a shorter fraction would have been found first.
    /// </summary>
    private static bool TryFormatFewDecimals(double magnitude, bool negative, Span<byte> destination, out int written)
    {
        written = 0;
        for (int fraction = 0; fraction <= FewDecimals; fraction++)
        {
            double scaled = Math.Round(magnitude * PowersOfTen[fraction]);
            if (scaled < 1e15 && scaled / PowersOfTen[fraction] == magnitude)
            {
                written = Write((long)scaled, fraction, negative, destination);
                return true;
            }
        }

        return false;
    }

    private static int Write(long mantissa, int fraction, bool negative, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[20];
        int count = 0;
        do
        {
            digits[count++] = (byte)('0' + (int)(mantissa % 10));
            mantissa /= 10;
        }
        while (mantissa != 0);

        while (count <= fraction)
        {
            digits[count++] = (byte)'0'; // 0.0005: pad so there is an integer digit
        }

        int at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }

        for (int i = count - 1; i >= 0; i--)
        {
            destination[at++] = digits[i];
            if (i == fraction && i != 0)
            {
                destination[at++] = (byte)'.';
            }
        }

        return at;
    }
}
