namespace Datastream.Pipelines.Replay;

/// <summary>How many dead letters were sent back, and how many were passed over (other kind, unreadable envelope).</summary>
public readonly record struct ReplayOutcome(long Replayed, long Skipped);
