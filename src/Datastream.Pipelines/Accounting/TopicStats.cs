using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Accounting;

/// <summary>
/// One topic's offsets, its records and, per consumer group that committed offsets, the records the group has not
/// consumed yet. Records are counted (<see cref="ILog.CountRecordsAsync"/>), not taken from offsets: on Kafka
/// transaction markers take offsets too.
/// </summary>
public sealed record TopicStats(string Topic, IReadOnlyList<PartitionDescription> Partitions, long Records, IReadOnlyDictionary<string, long> LagByGroup)
{
    public long EndOffsets => Partitions.Sum(p => p.EndOffset);

    /// <summary>True when retention has deleted records: counts then no longer cover the topic's whole history.</summary>
    public bool Truncated => Partitions.Any(p => p.StartOffset > 0);

    public IEnumerable<string> Groups => LagByGroup.Keys.Order(StringComparer.Ordinal);

    /// <summary>Records the group has not consumed yet; a group that never committed has consumed none.</summary>
    public long LagOf(string group) => LagByGroup.TryGetValue(group, out long lag) ? lag : Records;

    /// <summary>
    /// Counts the topic's records and each group's lag. A partition is read once for its records, and again only
    /// from a group's committed offset when that lies strictly inside it (a drained group's lag then reads nothing
    /// but the markers after its last record).
    /// </summary>
    public static async Task<TopicStats> CollectAsync(ILog log, TopicDescription description, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long records = 0;
        var lags = description.Partitions.SelectMany(p => p.CommittedOffsets.Keys).Distinct().ToDictionary(g => g, _ => 0L, StringComparer.Ordinal);
        foreach (var partition in description.Partitions)
        {
            var topicPartition = new TopicPartition(description.Name, partition.Partition);
            long inPartition = await log.CountRecordsAsync(topicPartition, partition.StartOffset, partition.EndOffset, progress: progress, cancellationToken: cancellationToken);
            records += inPartition;
            foreach (string group in lags.Keys)
            {
                long next = partition.CommittedOffsets.TryGetValue(group, out long committed) ? committed : partition.StartOffset;
                lags[group] += next <= partition.StartOffset ? inPartition
                    : next >= partition.EndOffset ? 0
                    : await log.CountRecordsAsync(topicPartition, next, partition.EndOffset, progress: progress, cancellationToken: cancellationToken);
            }
        }

        return new TopicStats(description.Name, description.Partitions, records, lags);
    }
}
