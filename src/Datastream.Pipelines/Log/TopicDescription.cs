namespace Datastream.Pipelines.Log;

/// <summary>A topic's partitions with their offsets and the committed offsets of every consumer group that reads it.</summary>
public sealed record TopicDescription(string Name, IReadOnlyList<PartitionDescription> Partitions)
{
    /// <summary>
    /// The offsets the retained partitions span: the number of records where offsets are consecutive (embedded), more
    /// than that on Kafka once transactions wrote the topic (their markers take offsets).
    /// <see cref="ILog.CountRecordsAsync"/> counts records.
    /// </summary>
    public long RecordCount => Partitions.Sum(p => p.EndOffset - p.StartOffset);
}

/// <summary>StartOffset is the first retained offset, EndOffset the next offset to be written (the high watermark).</summary>
public sealed record PartitionDescription(int Partition, long StartOffset, long EndOffset, IReadOnlyDictionary<string, long> CommittedOffsets);
