namespace Datastream.Pipelines.Log;

/// <summary>A position in a partition. As in Kafka, a committed offset is the next offset to read.</summary>
public readonly record struct TopicPartitionOffset(string Topic, int Partition, long Offset)
{
    public TopicPartition TopicPartition => new(Topic, Partition);
}
