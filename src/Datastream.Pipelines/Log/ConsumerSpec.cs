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

    /// <summary>
    /// Most key + value bytes one poll returns, whatever its maxRecords: memory stays bounded when records are large.
    /// A poll always returns at least one record when one is available, however large, so a big record cannot stall.
    /// </summary>
    public int MaxPollBytes
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPollBytes), value, "a poll needs room for at least one byte");
    } = DefaultMaxPollBytes;

    public const int DefaultMaxPollBytes = 16 * 1024 * 1024;
}

public enum StartPosition
{
    Earliest,
    Latest,
}
