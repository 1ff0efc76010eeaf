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
}
