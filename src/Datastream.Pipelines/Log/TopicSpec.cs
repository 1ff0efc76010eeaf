namespace Datastream.Pipelines.Log;

/// <summary>How to create a topic. Retention applies to the embedded log and maps to retention.ms / retention.bytes on Kafka.</summary>
public sealed record TopicSpec(string Name, int Partitions = 1, short ReplicationFactor = 1)
{
    /// <summary>Records older than this are deleted; null keeps them forever.</summary>
    public TimeSpan? RetentionAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Per-partition size above which the oldest records are deleted; null means no limit.</summary>
    public long? RetentionBytes { get; init; }
}
