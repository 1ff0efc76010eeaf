namespace Datastream.Pipelines.Log;

/// <summary>How to join a consumer group.</summary>
public sealed record ConsumerSpec(string Group, IReadOnlyList<string> Topics)
{
    /// <summary>Where to start on a partition the group has no committed offset for.</summary>
    public StartPosition WhenNoCommittedOffset { get; init; } = StartPosition.Earliest;

    /// <summary>Identifies this member in the group; also the base of its transactional id on Kafka.</summary>
    public string MemberId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>True when this consumer will use BeginUnitOfWork (exactly-once); Kafka then sets up a transactional producer.</summary>
    public bool Transactional { get; init; }
}

public enum StartPosition
{
    Earliest,
    Latest,
}
