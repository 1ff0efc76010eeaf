namespace Datastream.Cli;

/// <summary>
/// What `run` has done so far, as its live status line samples it: counts since the start (the line turns them into
/// rates), the pipelines' lag now, and the latest revenue (null before the first refresh).
/// </summary>
public sealed record RunStatus(
    long Produced,
    RunStatus.Pipeline ComputeCost,
    RunStatus.Pipeline IndexAndExport,
    long DeadLetters,
    double P99TsToIndexedMs,
    decimal? Revenue,
    long RevenueRides)
{
    /// <summary>One pipeline: records consumed since the start, and records waiting in its input now.</summary>
    public readonly record struct Pipeline(long Consumed, long Lag);
}
