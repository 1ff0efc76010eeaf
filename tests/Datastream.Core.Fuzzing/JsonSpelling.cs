using System.Globalization;
using System.Text;
using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Spells JSON values the many valid ways a producer may: optional whitespace, \uXXXX and short escapes in keys
/// and strings, and several textual forms of one number. Only strict, valid-Unicode JSON comes out.
/// </summary>
internal sealed class JsonSpelling(PCG pcg)
{
    private static readonly string[] Spaces = [" ", "\n", "\t", "\r\n", "  "];

    public PCG Random => pcg;

    public string Space() => pcg.Chance(85) ? "" : pcg.Pick(Spaces);

    /// <summary>A property name, sometimes with escaped characters ("ride\u005fid" is still ride_id).</summary>
    public string Key(string name) => Quote(name, pcg.Chance(12) ? 30 : 0);

    public string Text(string value) => Quote(value, pcg.Chance(10) ? 25 : 0);

    /// <summary>At most <paramref name="maxEscapes"/> optional escapes (those JSON requires are always made).</summary>
    public string Quote(string value, int escapePercent, int maxEscapes = int.MaxValue)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        bool Escaping() => maxEscapes > 0 && pcg.Chance(escapePercent) && maxEscapes-- > 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (pair)
            {
                // Both halves escaped or neither: one escaped half next to a raw half is not text UTF-8 can carry.
                if (Escaping())
                {
                    text.Append(Escape(c)).Append(Escape(value[i + 1]));
                }
                else
                {
                    text.Append(c).Append(value[i + 1]);
                }

                i++;
                continue;
            }

            text.Append(c switch
            {
                '"' => pcg.Chance(50) ? "\\\"" : "\\u0022",
                '\\' => pcg.Chance(50) ? "\\\\" : "\\u005C",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => Escape(c),
                '/' when Escaping() => "\\/",
                _ when Escaping() => Escape(c),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private string Escape(char c) => "\\u" + ((int)c).ToString(pcg.Chance(50) ? "x4" : "X4", CultureInfo.InvariantCulture);

    /// <summary>
    /// The number in one of its JSON spellings; each reads back as (nearly) the same double, never further from
    /// zero, so that a value within a limit stays within it (20015.087 is not spelled 20015.09).
    /// </summary>
    public string Number(double value)
    {
        string text = AnySpelling(value);
        return Math.Abs(double.Parse(text, CultureInfo.InvariantCulture)) <= Math.Abs(value) ? text : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private string AnySpelling(double value)
    {
        bool integral = value == Math.Floor(value) && Math.Abs(value) < 1e15;
        switch (pcg.Below(10))
        {
            case 0 when integral:
                return ((long)value).ToString(CultureInfo.InvariantCulture);
            case 1 when integral:
                return ((long)value).ToString(CultureInfo.InvariantCulture) + ".0";
            case 2:
                return value.ToString("E10", CultureInfo.InvariantCulture);
            case 3:
                return value.ToString("e3", CultureInfo.InvariantCulture);
            case 4:
                return value.ToString("F6", CultureInfo.InvariantCulture);
            case 5:
                return value.ToString("F2", CultureInfo.InvariantCulture);
            default:
                return value.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>An object of the given members, in that order, with random whitespace around the tokens.</summary>
    public string Object(IEnumerable<(string Key, string Value)> members)
    {
        var text = new StringBuilder().Append(Space()).Append('{');
        bool first = true;
        foreach (var (key, value) in members)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            text.Append(Space()).Append(key).Append(Space()).Append(':').Append(Space()).Append(value).Append(Space());
        }

        return text.Append('}').Append(Space()).ToString();
    }

    public string Array(IEnumerable<string> values)
        => Space() + "[" + string.Join(",", values.Select(v => Space() + v + Space())) + "]" + Space();
}
