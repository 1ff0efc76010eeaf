using Datastream.Core.Fuzzing;

namespace Datastream.Core.Tests.Fuzzing;

/// <summary>
/// Fixed-seed fuzz runs of the three parsers (issue 11): whatever the bytes, a parser never throws, and it
/// accepts (with strict-JSON output) or rejects with a reason. A failure prints, per kind, the seed that
/// regenerates the input and a minimized input as a C# literal. The long run: bench/Datastream.Benchmarks fuzz.
/// </summary>
public sealed class ParserFuzzTests
{
    private const ulong Seed = 20251030;
    private const int Inputs = 20_000;

    [Fact]
    public void Standard_records_and_their_mutations_are_accepted_or_rejected_with_a_reason() => AssertHolds(FuzzTarget.Standard);

    [Fact]
    public void Course_records_and_their_mutations_are_accepted_or_rejected_with_a_reason() => AssertHolds(FuzzTarget.Course);

    [Fact]
    public void Ride_results_and_their_mutations_are_flattened_or_rejected_with_a_reason() => AssertHolds(FuzzTarget.TransformJson);

    private static void AssertHolds(FuzzTarget target)
    {
        FuzzReport report = FuzzRun.Run(target, Seed, Inputs);
        TestContext.Current.SendDiagnosticMessage(report.Summary);
        Assert.True(report.Passed, report.Describe());

        // Both outcomes must be reached often, or the run checks less than it claims.
        Assert.True(report.Accepted >= Inputs / 20, report.Summary);
        Assert.True(report.Rejected >= Inputs / 4, report.Summary);
    }
}
