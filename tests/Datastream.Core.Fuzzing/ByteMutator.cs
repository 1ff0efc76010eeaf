using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Random byte mutations of a document: flip, overwrite, insert, delete, duplicate or truncate bytes, and
/// splice in <see cref="HostileTokens"/> where a value, a member or anything may stand.
/// </summary>
public static class ByteMutator
{
    private static readonly byte[] InterestingBytes =
        [0x00, 0x01, 0x1F, 0x20, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x2D, 0x2E, 0x65, 0x30, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xED, 0xEF, 0xFF];

    /// <summary>Documents from <paramref name="source"/>, each with one to four mutations.</summary>
    public static Gen<byte[]> Mutations(Gen<byte[]> source) => new GenFrom<byte[]>(pcg =>
    {
        var bytes = new List<byte>(pcg.Draw(source));
        int count = pcg.Chance(60) ? 1 : 2 + pcg.Below(3);
        for (int i = 0; i < count; i++)
        {
            Mutate(pcg, bytes);
        }

        return bytes.ToArray();
    });

    private static void Mutate(PCG pcg, List<byte> bytes)
    {
        int at = pcg.Below(bytes.Count + 1);
        switch (pcg.Below(12))
        {
            case 0 when bytes.Count > 0:
                at = pcg.Below(bytes.Count);
                bytes[at] ^= (byte)(1 << pcg.Below(8));
                break;
            case 1 when bytes.Count > 0:
                bytes[pcg.Below(bytes.Count)] = pcg.Chance(50) ? pcg.Pick(InterestingBytes) : (byte)pcg.Below(256);
                break;
            case 2:
                bytes.Insert(at, pcg.Chance(50) ? pcg.Pick(InterestingBytes) : (byte)pcg.Below(256));
                break;
            case 3 when at < bytes.Count:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + pcg.Below(pcg.Chance(70) ? 4 : 40)));
                break;
            case 4 when at < bytes.Count:
                int length = Math.Min(bytes.Count - at, 1 + pcg.Below(40));
                bytes.InsertRange(pcg.Below(bytes.Count + 1), bytes.GetRange(at, length));
                break;
            case 5:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 6 or 7:
                Splice(bytes, After(pcg, bytes, (byte)':'), pcg.Pick(HostileTokens.Values), replaceValue: true);
                break;
            case 8:
                Splice(bytes, After(pcg, bytes, (byte)'{'), pcg.Pick(HostileTokens.Members), replaceValue: false);
                break;
            case 9:
                // Inside a string: right after an opening or closing quote.
                Splice(bytes, After(pcg, bytes, (byte)'"'), pcg.Pick(HostileTokens.Anywhere), replaceValue: false);
                break;
            default:
                Splice(bytes, pcg.Chance(10) ? 0 : at, pcg.Pick(HostileTokens.Anywhere), replaceValue: false);
                break;
        }
    }

    /// <summary>The position just after a random occurrence of <paramref name="mark"/>, or a random position when there is none.</summary>
    private static int After(PCG pcg, List<byte> bytes, byte mark)
    {
        int count = 0;
        foreach (byte b in bytes)
        {
            count += b == mark ? 1 : 0;
        }

        if (count == 0)
        {
            return pcg.Below(bytes.Count + 1);
        }

        int wanted = pcg.Below(count);
        for (int i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] == mark && wanted-- == 0)
            {
                return i + 1;
            }
        }

        return bytes.Count;
    }

    private static void Splice(List<byte> bytes, int at, byte[] token, bool replaceValue)
    {
        if (replaceValue)
        {
            // The old value runs to the next ',' or '}' at this level, roughly: good enough to keep most of the document intact.
            int end = at;
            int depth = 0;
            bool inString = false;
            while (end < bytes.Count)
            {
                byte b = bytes[end];
                if (inString)
                {
                    inString = b != '"' || bytes[end - 1] == '\\';
                }
                else if (b == '"')
                {
                    inString = true;
                }
                else if (b is (byte)'{' or (byte)'[')
                {
                    depth++;
                }
                else if (b is (byte)'}' or (byte)']')
                {
                    if (depth-- == 0)
                    {
                        break;
                    }
                }
                else if (b == ',' && depth == 0)
                {
                    break;
                }

                end++;
            }

            bytes.RemoveRange(at, end - at);
        }

        bytes.InsertRange(at, token);
    }
}
