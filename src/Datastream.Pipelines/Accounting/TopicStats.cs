using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Accounting;

/// <summary>One topic's offsets and, per consumer group, committed offsets and lag.</summary>
public sealed record TopicStats(string Topic, IReadOnlyList<PartitionDescription> Partitions)
{
    public long Records => Partitions.Sum(p => p.EndOffset - p.StartOffset);
    public long EndOffsets => Partitions.Sum(p => p.EndOffset);

    /// <summary>True when retention has deleted records: counts then no longer cover the topic's whole history.</summary>
    public bool Truncated => Partitions.Any(p => p.StartOffset > 0);

    public IEnumerable<string> Groups => Partitions.SelectMany(p => p.CommittedOffsets.Keys).Distinct().Order(StringComparer.Ordinal);

    /// <summary>Records the group has not consumed yet; a partition it never committed counts whole.</summary>
    public long LagOf(string group) => Partitions.Sum(p =>
        Math.Max(0, p.EndOffset - (p.CommittedOffsets.TryGetValue(group, out long committed) ? committed : p.StartOffset)));
}
