namespace Datastream.Benchmarks;

/// <summary>
/// The "--name value" pairs of the bench sub-commands (lake, revenue, kafka). A plain loop rather than
/// System.CommandLine: these are measurement tools with a handful of numeric options, and the product's CLI conventions
/// (help, completion) are not needed here.
/// </summary>
internal static class BenchArguments
{
    /// <summary>
    /// Hands each option and its value to <paramref name="apply"/>, which returns false for an unknown option or a
    /// value it refuses, and checks every option of <paramref name="required"/> was given; on a failure writes the
    /// error and <paramref name="usage"/> to stderr and returns false.
    /// </summary>
    public static bool TryApply(string[] args, string usage, Func<string, string, bool> apply, params string[] required)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null || !apply(args[i], value))
            {
                Console.Error.WriteLine($"{args[i]}: {(value is null ? "missing value" : "unknown option or invalid value")}\n{usage}");
                return false;
            }

            given.Add(args[i]);
        }

        foreach (string option in required)
        {
            if (!given.Contains(option))
            {
                Console.Error.WriteLine($"{option} is required\n{usage}");
                return false;
            }
        }

        return true;
    }
}
