using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Checks a parser's property on <c>count</c> inputs drawn in sequence from one seeded CsCheck random source,
/// so a run is the same on every machine. A failure never stops the run; each kind is kept once and minimized.
/// </summary>
public static class FuzzRun
{
    private const uint Stream = 11;
    private const int MaxKinds = 10;

    public static FuzzReport Run(FuzzTarget target, ulong seed, long count)
    {
        var pcg = new PCG(Stream, seed);
        IParserProperty property = target.NewProperty();
        long accepted = 0, rejected = 0, exceptions = 0, violations = 0;
        var kinds = new Dictionary<string, FuzzFailure>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            ulong state = pcg.State;
            byte[] input = target.Inputs.Generate(pcg, null, out _);
            try
            {
                if (property.Check(input) == Verdict.Accepted)
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                }
            }
            catch (Exception e)
            {
                if (e is PropertyViolation)
                {
                    violations++;
                }
                else
                {
                    exceptions++;
                }

                string signature = FailureSignature.Of(e);
                if (kinds.TryGetValue(signature, out FuzzFailure? known))
                {
                    known.Count++;
                }
                else if (kinds.Count < MaxKinds)
                {
                    kinds[signature] = new FuzzFailure(target.Name, signature, pcg.ToString(state), input, e);
                }

                // The parser may be left in any state by what it threw.
                property = target.NewProperty();
            }
        }

        foreach (FuzzFailure failure in kinds.Values)
        {
            failure.MinimalInput = FailureMinimizer.Minimize(failure.Input, failure.Signature, target.NewProperty);
        }

        return new FuzzReport(target.Name, seed, count, accepted, rejected, exceptions, violations, [.. kinds.Values]);
    }

    /// <summary>The input that <paramref name="inputSeed"/> (a <see cref="FuzzFailure.InputSeed"/>) generates.</summary>
    public static byte[] Replay(FuzzTarget target, string inputSeed) => target.Inputs.Generate(PCG.Parse(inputSeed), null, out _);
}
