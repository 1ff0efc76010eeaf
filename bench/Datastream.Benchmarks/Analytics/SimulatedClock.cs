namespace Datastream.Benchmarks.Analytics;

/// <summary>
/// A clock the lake writer reads instead of the system's, set to the event time of the ride being written: the lake's
/// roll interval then cuts files as it would in a live run at the simulated rate, however fast the rows are made.
/// </summary>
internal sealed class SimulatedClock(DateTime startUtc) : TimeProvider
{
    public DateTime UtcNow { get; set; } = startUtc;

    public override DateTimeOffset GetUtcNow() => new(UtcNow, TimeSpan.Zero);
}
