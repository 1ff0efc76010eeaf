using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Random JSON documents: trees of objects, arrays and scalars whose keys are often the known field names.
/// Keys of one object are distinct (duplicates come from the mutations). With <c>hostile</c>, keys and strings
/// may hold escaped lone surrogates and numbers may overflow a double.
/// </summary>
public static class RandomJson
{
    private static readonly string[] OddNumbers =
    [
        "0", "-0", "1", "-1", "0.5", "1e308", "-1e308", "1.7976931348623157e308", "4.9e-324", "1e-400", "90", "-90.0", "180", "-180",
        "10080", "100000", "1000000000", "20015.087", "12345678901234567890",
    ];

    private static readonly string[] HostileScalars =
    [
        "1e400", "-1e400", new string('9', 400), "\"\\ud800\"", "\"\\udc00\"", "\"a\\ud800b\"", "\"\\udbff\\udbff\"", "\"\\u0000\"",
    ];

    /// <summary>A document whose root is usually an object.</summary>
    public static Gen<string> Document(bool hostile) => new GenFrom<string>(pcg =>
        pcg.Chance(85) ? Object(new JsonSpelling(pcg), 0, hostile) : Value(new JsonSpelling(pcg), 0, hostile));

    /// <summary>One value of at most a few levels, e.g. for the unknown fields of a valid record.</summary>
    internal static string Value(JsonSpelling spelling, int depth, bool hostile)
    {
        PCG pcg = spelling.Random;
        int kind = pcg.Below(depth >= 4 ? 6 : 9);
        return kind switch
        {
            0 => "null",
            1 => pcg.Chance(50) ? "true" : "false",
            2 => spelling.Number(pcg.Chance(50) ? pcg.Below(200) - 100 : (pcg.Next64() % 2_000_000_000) / 1000.0),
            3 => pcg.Chance(70) ? pcg.Pick(OddNumbers) : spelling.Number(BitConverter.Int64BitsToDouble((long)pcg.Next64()) is var d && double.IsFinite(d) ? d : 0),
            4 => hostile && pcg.Chance(30) ? pcg.Pick(HostileScalars) : spelling.Text(FreeText.Next(pcg, 12)),
            5 => spelling.Text(pcg.Pick(RideFieldNames.All)),
            6 or 7 => Object(spelling, depth + 1, hostile),
            _ => spelling.Array(Enumerable.Range(0, pcg.Below(4)).Select(_ => Value(spelling, depth + 1, hostile)).ToList()),
        };
    }

    internal static string Object(JsonSpelling spelling, int depth, bool hostile)
    {
        PCG pcg = spelling.Random;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<(string, string)>();
        int count = pcg.Below(depth == 0 ? 12 : 6);
        for (int i = 0; i < count; i++)
        {
            string name = pcg.Chance(70) ? pcg.Pick(RideFieldNames.All) : FreeText.Next(pcg, 8);
            if (!names.Add(name))
            {
                continue;
            }

            string key = spelling.Key(name);
            if (hostile && pcg.Chance(3))
            {
                key = key[..^1] + (pcg.Chance(50) ? "\\ud800\"" : "\\udc00\"");
            }

            members.Add((key, Value(spelling, depth + 1, hostile)));
        }

        return spelling.Object(members);
    }
}
