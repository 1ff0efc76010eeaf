using System.Text;
using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>Valid Unicode text of the kinds people put in names and phones: accents, CJK, emoji, quotes, control characters.</summary>
internal static class FreeText
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", "9", " ", "-", "+", "'", "\"", "\\", "/", "\n", "\t", "\u0001", "\u001f", "\u007f",
        "é", "ß", "Ø", "中", "文", "ع", "😀", "𝄞", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u0300", "<", ">", "&",
    ];

    public static string Next(PCG pcg, int maxLength)
    {
        int length = pcg.Below(maxLength + 1);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.Append(pcg.Chance(60) ? (char)('a' + pcg.Below(26)) : pcg.Pick(Pieces));
        }

        return text.ToString();
    }

    public static Gen<string> Gen(int maxLength) => new GenFrom<string>(pcg => Next(pcg, maxLength));
}
