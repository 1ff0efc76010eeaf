namespace Datastream.Core.Fuzzing;

/// <summary>
/// The processing time of every fuzz input: compute-cost's clock and log timestamp, and TransformJSON's
/// agent_timestamp, so that the ts limit (at most 24 h after it) is the same for all three parsers.
/// </summary>
public static class FuzzClock
{
    public static readonly DateTime Now = new(2026, 1, 15, 12, 0, 0, DateTimeKind.Utc);
}
