using Datastream.Core.Rides;

namespace Datastream.Pipelines.Lake;

/// <summary>
/// The lake port (SPEC §3.7): rides as Parquet files under &lt;prefix&gt;year=YYYY/month=MM/day=DD/hour=HH/, hour
/// from the ride's ts, named part-&lt;source partition&gt;-&lt;first source offset&gt;.parquet so that a replay after a
/// crash rewrites the same files. Rows are buffered and become visible, atomically per file, only at FlushAsync.
/// Local directory and Google Cloud Storage implement the store underneath. Not thread-safe.
/// </summary>
public interface IRideLake : IAsyncDisposable
{
    /// <summary>Where the lake is, for logs and summaries: a directory or gs://bucket/prefix.</summary>
    string Location { get; }

    /// <summary>Buffers one ride consumed from a source partition; offsets must ascend per partition.</summary>
    void Add(int sourcePartition, long sourceOffset, in FlatRide ride);

    int BufferedRows { get; }

    /// <summary>True when the buffer should be written: enough rows or bytes, or its oldest row older than the roll interval.</summary>
    bool ShouldFlush(DateTime nowUtc);

    /// <summary>
    /// Writes every buffered row, one file per source partition and hour, each made visible atomically (rename
    /// locally, a single object upload on GCS). When it returns the files are durable and the buffer is empty.
    /// </summary>
    ValueTask<LakeFlush> FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the files of a source partition whose first offset is ≥ <paramref name="fromOffset"/>: written by a
    /// flush whose offsets were never committed (a crash in between). Called when a partition is (re)assigned,
    /// before its first rows are added, so that a replay with different file boundaries leaves no duplicates.
    /// </summary>
    ValueTask<int> RemoveUncommittedAsync(int sourcePartition, long fromOffset, CancellationToken cancellationToken = default);

    /// <summary>Drops buffered rows (after a rewind: they will be read again).</summary>
    void DiscardBuffered();
}
