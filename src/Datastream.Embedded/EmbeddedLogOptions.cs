namespace Datastream.Embedded;

/// <summary>
/// Settings of the embedded SQLite log. The database is <c>DataDirectory/FileName</c>; several processes may open
/// the same data directory at once (a producer process and a pipeline process, or N pipeline processes sharing the
/// partitions of a consumer group).
/// </summary>
public sealed record EmbeddedLogOptions(string DataDirectory)
{
    public string FileName { get; init; } = "log.db";

    /// <summary>
    /// Normal (the default) in WAL mode is durable against a process crash (kill -9): a committed transaction is in
    /// the WAL file, which the OS keeps. On power loss the last few transactions may be lost (never corrupted).
    /// Full fsyncs the WAL on every commit and survives power loss too, at a large throughput cost.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; init; } = SqliteSynchronousMode.Normal;

    /// <summary>How long a connection waits for another process's write lock before SQLITE_BUSY surfaces.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A consumer that has not renewed its partition leases for this long loses them to other members.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a consumer renews its leases and rebalances (at most; it happens inside PollAsync).</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a producer enforces topic retention (age and size) after appending.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest sleep between checks for new records while PollAsync waits.</summary>
    public TimeSpan MaxPollBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The largest record (key + value bytes) appended; a larger one fails its call with RecordTooLargeException. The
    /// default is what Kafka takes at its default message size (1,048,588 bytes less 512 of framing), so a record the
    /// embedded log accepts fits a Kafka cluster nobody reconfigured too.
    /// </summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    public const int DefaultMaxRecordBytes = 1_048_588 - 512;

    /// <summary>
    /// The codec of batches appended from now on (each batch records its own, so a log may mix them). MaxRecordBytes
    /// and retention bytes count records before compression; see <see cref="DefaultCompression"/> for the choice.
    /// </summary>
    public LogCompression Compression { get; init; } = DefaultCompression;

    /// <summary>
    /// zstd: on ride records it stored 41 B per record against LZ4's 70 (log.db of a 1M-ride run: 108 B per ride
    /// against 191, uncompressed 645), compressing about as fast as LZ4 and decompressing ~0.6 µs per record slower;
    /// only zstd brings the log under the ~120 B per ride the disk budget leaves it (docs/performance/embedded-log.md).
    /// </summary>
    public const LogCompression DefaultCompression = LogCompression.Zstd;

    /// <summary>Time for record timestamps, lease expiry and retention; tests substitute a manual clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public string DatabasePath => Path.Combine(DataDirectory, FileName);

    internal long NowMs() => Clock.GetUtcNow().ToUnixTimeMilliseconds();
}
