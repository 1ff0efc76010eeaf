using Datastream.Core.Rides;

namespace Datastream.Pipelines.Lake;

/// <summary>
/// The lake port (SPEC §3.7): rides as Parquet files under &lt;prefix&gt;year=YYYY/month=MM/day=DD/hour=HH/, hour
/// from the ride's ts, named part-&lt;source partition&gt;-&lt;first source offset&gt;.parquet. Rows are buffered, and a
/// file becomes visible only through the log's commit, in three steps that make the lake exactly once under crashes
/// and takeovers:
/// <list type="number">
/// <item><see cref="StageAsync"/> writes the buffered rows as staged files (outside what readers see), one set per
/// committed range of a source partition, ending with a marker saying the range's staging is complete;</item>
/// <item>the caller commits the ranges' offsets to the log, fenced: a member that lost a partition cannot;</item>
/// <item><see cref="PublishAsync"/> moves the staged files to their keys, then deletes the other staging of those
/// partitions. The marker of the range published last stays until the next publish: it names the committed range.</item>
/// </list>
/// A crash between 2 and 3 is repaired by the partition's next owner in <see cref="RecoverAsync"/>: of the complete
/// ranges staged for the partition, it publishes the one that ends at the committed offset and starts latest (a stale
/// writer can only have started earlier, at a previous commit) and deletes everything else. So a file of a member
/// that lost its partition never becomes visible. Not thread-safe.
/// </summary>
public interface IRideLake : IAsyncDisposable
{
    /// <summary>Where the lake is, for logs and summaries: a directory or gs://bucket/prefix.</summary>
    string Location { get; }

    /// <summary>Buffers one ride consumed from a source partition; offsets must ascend per partition.</summary>
    void Add(int sourcePartition, long sourceOffset, in FlatRide ride);

    int BufferedRows { get; }

    /// <summary>
    /// Encodes buffered rows ahead of the next <see cref="StageAsync"/> where the lake can (full row groups), so that a
    /// roll has little left to do. Nothing becomes visible or staged: encoded rows are buffered rows still, dropped by
    /// <see cref="DiscardBuffered"/>. After a failure the buffered rows can only be discarded (and read again), as after
    /// any failed batch.
    /// </summary>
    ValueTask WriteAheadAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the buffer should be written: enough rows or bytes, or its oldest row older than the roll interval.</summary>
    bool ShouldFlush(DateTime nowUtc);

    /// <summary>
    /// Writes every buffered row as staged files, one per source partition and hour, and a completion marker per range
    /// (also for a range without rows: it names the commit). Every buffered row must lie in one of the ranges. The
    /// buffer is empty afterwards; on failure it is kept and the call can be repeated.
    /// </summary>
    ValueTask<LakeStaging> StageAsync(IReadOnlyList<LakeCommitRange> ranges, CancellationToken cancellationToken = default);

    /// <summary>Makes the staged files visible (each atomically) once the log committed the ranges' offsets; idempotent.</summary>
    ValueTask<LakeFlush> PublishAsync(LakeStaging staging, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called when a partition is (re)assigned, before its first row is added: publishes the staged range that ends at
    /// <paramref name="committedOffset"/> if a crash left it unpublished, and deletes every other staged file of the
    /// partition (writers fenced or killed before their commit, and their unfinished temporary files). Null when the
    /// group never committed the partition: then nothing staged was committed.
    /// </summary>
    ValueTask<LakeRecovery> RecoverAsync(int sourcePartition, long? committedOffset, CancellationToken cancellationToken = default);

    /// <summary>Drops buffered rows (after a rewind: they will be read again).</summary>
    void DiscardBuffered();
}
