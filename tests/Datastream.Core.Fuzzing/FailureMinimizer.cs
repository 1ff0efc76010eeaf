namespace Datastream.Core.Fuzzing;

/// <summary>
/// Reduces a failing input to a small one failing the same way, by deleting runs of bytes while the failure's
/// signature stays the same: long runs first, then every short run (1 to 12 bytes, the size of a member or a
/// token) at every offset, until nothing more can go. Bounded, so a slow parser cannot make a report wait.
/// </summary>
internal static class FailureMinimizer
{
    private const int MaxChecks = 20_000;
    private const int ShortRun = 12;

    public static byte[] Minimize(byte[] input, string signature, Func<IParserProperty> newProperty)
    {
        byte[] current = input;
        int checks = 0;
        bool progress = true;
        while (progress && checks < MaxChecks)
        {
            progress = false;
            for (int run = current.Length / 2; run > ShortRun && checks < MaxChecks; run /= 2)
            {
                progress |= DeleteRuns(ref current, run, step: run, signature, newProperty, ref checks);
            }

            for (int run = ShortRun; run >= 1 && checks < MaxChecks; run--)
            {
                progress |= DeleteRuns(ref current, run, step: 1, signature, newProperty, ref checks);
            }
        }

        return current;
    }

    private static bool DeleteRuns(ref byte[] current, int run, int step, string signature, Func<IParserProperty> newProperty, ref int checks)
    {
        bool progress = false;
        for (int at = 0; at + run <= current.Length && checks < MaxChecks; checks++)
        {
            byte[] candidate = [.. current.AsSpan(0, at), .. current.AsSpan(at + run)];
            if (SignatureOf(candidate, newProperty) == signature)
            {
                current = candidate;
                progress = true;
            }
            else
            {
                at += step;
            }
        }

        return progress;
    }

    private static string? SignatureOf(byte[] input, Func<IParserProperty> newProperty)
    {
        try
        {
            newProperty().Check(input);
            return null;
        }
        catch (Exception e)
        {
            return FailureSignature.Of(e);
        }
    }
}
