namespace Datastream.Pipelines.Log;

/// <summary>
/// A member of a consumer group. Partitions are assigned to one member of a group at a time; the assignment can
/// change between polls (another member joins, leaves or dies). Not thread-safe.
/// </summary>
public interface ILogConsumer : IAsyncDisposable
{
    /// <summary>The partitions this member owns now.</summary>
    IReadOnlyCollection<TopicPartition> Assignment { get; }

    /// <summary>
    /// Changes whenever this member gains or loses a partition, also when one is lost and claimed again between two
    /// polls: the set is the same, but another member may have committed meanwhile, so work held from before is stale.
    /// </summary>
    long AssignmentGeneration { get; }

    /// <summary>
    /// Returns up to <paramref name="maxRecords"/> records from the assigned partitions, in offset order per
    /// partition, continuing after the last record returned; together at most ConsumerSpec.MaxPollBytes of keys and
    /// values, except a single record larger than that, returned alone. Waits up to <paramref name="maxWait"/> when nothing
    /// is available and returns an empty list then.
    /// </summary>
    ValueTask<IReadOnlyList<LogRecord>> PollAsync(int maxRecords, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>At-least-once: stores the group's offsets (the next offset to read per partition).</summary>
    ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exactly-once: opens a unit of work whose appended records and consumed offsets become visible together or
    /// not at all. Only one can be open at a time. Requires ConsumerSpec.Transactional.
    /// </summary>
    ILogUnitOfWork BeginUnitOfWork();

    /// <summary>Moves every assigned partition back to the group's committed offset (after an aborted unit of work).</summary>
    ValueTask RewindToCommittedAsync(CancellationToken cancellationToken = default);

    /// <summary>The group's committed offsets (the next to read) of these partitions; one never committed is absent.</summary>
    ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default);

    /// <summary>Position and end offset of each assigned partition.</summary>
    ValueTask<IReadOnlyList<PartitionLag>> GetLagAsync(CancellationToken cancellationToken = default);
}
