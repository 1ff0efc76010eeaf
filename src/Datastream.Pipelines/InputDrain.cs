using Datastream.Pipelines.Log;

namespace Datastream.Pipelines;

/// <summary>
/// Whether a consumer group has consumed its input to the end, for `--until-idle`. Idle means the whole group, not
/// just this member: a partition may still be leased to a member that crashed, and is ours to finish once the
/// lease expires. When this member owns every partition, its own positions (all at the end, all committed) already
/// say so; otherwise the group's committed offsets must leave no record unread (on Kafka's mock cluster
/// transactional offsets are not stored, so the first case is what lets a single instance finish there).
/// </summary>
public static class InputDrain
{
    /// <param name="lag">The consumer's lag, just measured by the caller.</param>
    public static async Task<bool> IsCompleteAsync(ILog log, ILogConsumer consumer, IReadOnlyList<PartitionLag> lag, string topic, string group)
    {
        if (!lag.All(p => p.Lag == 0))
        {
            return false;
        }

        var description = await log.DescribeTopicAsync(topic, CancellationToken.None) ?? throw new UnknownTopicException(topic);
        if (description.Partitions.All(p => consumer.Assignment.Contains(new TopicPartition(topic, p.Partition))))
        {
            return true;
        }

        foreach (var partition in description.Partitions)
        {
            long next = partition.CommittedOffsets.TryGetValue(group, out long committed) ? committed : partition.StartOffset;
            // Records, not offsets: a group that committed past its last record stands before the commit marker that
            // ended the transaction which wrote it (Kafka), one offset short of the end with nothing left to read.
            if (next < partition.EndOffset
                && await log.CountRecordsAsync(new TopicPartition(topic, partition.Partition), next, partition.EndOffset, atMost: 1) > 0)
            {
                return false;
            }
        }

        return true;
    }
}
