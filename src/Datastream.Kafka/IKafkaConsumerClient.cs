using Confluent.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>
/// The consumer calls KafkaLogConsumer needs, behind an interface so that tests can drive rebalances (a revoke in
/// the middle of a poll, lost partitions) without a cluster. Rebalance callbacks reach the listener from inside
/// Consume. Calls may block up to their timeout; not thread-safe.
/// </summary>
internal interface IKafkaConsumerClient : IDisposable
{
    /// <summary>What SendOffsetsToTransaction needs to fence a stale generation of this member (KIP-447).</summary>
    IConsumerGroupMetadata? GroupMetadata { get; }

    /// <summary>The next record, or null when none arrived within the timeout.</summary>
    LogRecord? Consume(TimeSpan timeout);

    void Commit(IReadOnlyList<TopicPartitionOffset> nextOffsets);

    /// <summary>The group's committed next offset of each partition; null where the group has none.</summary>
    IReadOnlyDictionary<TopicPartition, long?> Committed(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout);

    /// <summary>Moves the fetch position; null = the auto.offset.reset position (earliest or latest).</summary>
    void Seek(TopicPartition partition, long? offset);

    /// <summary>Next offset the client would fetch, or null when it has not fetched yet.</summary>
    long? Position(TopicPartition partition);

    /// <summary>First and next-to-be-written offsets, from the last fetch or, when unknown, asked of the leader.</summary>
    (long Low, long High) Watermarks(TopicPartition partition, TimeSpan timeout);

    /// <summary>Leaves the group (revoking its partitions through the listener).</summary>
    void Close();
}
