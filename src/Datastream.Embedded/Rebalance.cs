using Datastream.Pipelines.Log;

namespace Datastream.Embedded;

/// <summary>Outcome of one rebalance: what is held now, what was newly claimed, and what was lost or given back.</summary>
internal sealed record Rebalance(
    IReadOnlyDictionary<TopicPartition, long> Held,
    IReadOnlyList<(TopicInfo Topic, int Partition)> Claimed,
    IReadOnlyList<TopicPartition> Lost);
