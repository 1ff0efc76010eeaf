namespace Datastream.Pipelines.Log;

/// <summary>One record read from a topic partition.</summary>
public sealed record LogRecord(string Topic, int Partition, long Offset, DateTime TimestampUtc, byte[]? Key, byte[] Value)
{
    public TopicPartition TopicPartition => new(Topic, Partition);
}
