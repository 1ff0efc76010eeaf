using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>Hears assignment changes; called from inside Consume (and Close) on the consuming thread.</summary>
internal interface IRebalanceListener
{
    void OnAssigned(IReadOnlyList<TopicPartition> partitions);

    /// <summary>Given up cleanly (cooperative rebalance): another member resumes from the committed offsets.</summary>
    void OnRevoked(IReadOnlyList<TopicPartition> partitions);

    /// <summary>Taken away without a handshake (session expired, fenced): another member may already own them.</summary>
    void OnLost(IReadOnlyList<TopicPartition> partitions);

    /// <summary>
    /// The fetcher reached the end of a partition: <paramref name="endOffset"/> is past every record and every
    /// transaction marker. Markers take offsets but are never delivered, so without this a consumer of a
    /// transactionally written topic (rides_result) would always look one record behind.
    /// </summary>
    void OnEndOfPartition(TopicPartition partition, long endOffset);
}
