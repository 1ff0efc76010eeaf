using System.Text;

namespace Datastream.Core.Fuzzing;

/// <summary>The outcome of a run of one parser: how many inputs, accepted, rejected and failed, and one example per kind of failure.</summary>
public sealed record FuzzReport(string Parser, ulong Seed, long Inputs, long Accepted, long Rejected, long Exceptions, long Violations,
    IReadOnlyList<FuzzFailure> Failures)
{
    public bool Passed => Exceptions == 0 && Violations == 0;

    public string Summary => $"{Parser}: {Inputs:#,0} inputs (seed {Seed}), {Accepted:#,0} accepted, {Rejected:#,0} rejected, "
        + $"{Exceptions:#,0} exceptions, {Violations:#,0} property violations";

    public string Describe()
    {
        var text = new StringBuilder().AppendLine(Summary);
        foreach (FuzzFailure failure in Failures)
        {
            text.Append(failure.Describe());
        }

        return text.ToString();
    }
}
