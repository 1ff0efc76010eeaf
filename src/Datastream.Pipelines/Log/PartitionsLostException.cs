namespace Datastream.Pipelines.Log;

/// <summary>This member lost ownership of partitions (fenced): its uncommitted work must be dropped and redone by the new owner.</summary>
public sealed class PartitionsLostException(IReadOnlyCollection<TopicPartition> partitions, string detail)
    : Exception($"partitions lost to another group member: {string.Join(", ", partitions)} ({detail})")
{
    public IReadOnlyCollection<TopicPartition> Partitions { get; } = partitions;
}
