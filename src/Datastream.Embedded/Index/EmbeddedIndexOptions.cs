namespace Datastream.Embedded.Index;

/// <summary>
/// Settings of the embedded SQLite index. The database is <c>DataDirectory/FileName</c>, a file of its own (not the
/// log's), so the pipeline's index writes never wait for the log's write lock. Several processes may open it at once:
/// typically one pipeline process writing and a web app reading.
/// </summary>
public sealed record EmbeddedIndexOptions(string DataDirectory)
{
    public string FileName { get; init; } = "index.db";

    /// <summary>Normal (default) survives a process kill; Full also survives power loss, at a throughput cost.</summary>
    public SqliteSynchronousMode Synchronous { get; init; } = SqliteSynchronousMode.Normal;

    /// <summary>How long a writer waits for another process's write lock before SQLITE_BUSY surfaces.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Page cache of the writing connection. Random-order ride_id inserts touch pages all over the file. Measured on
    /// a 1M-ride run: 64 MiB bought no clear speed (45k vs 42k rides/s end to end, within noise) but made resident
    /// memory climb by ~200 MB over the run; 8 MiB kept it flat. 4 MiB took a 4M-ride run's resident memory ~30 MB
    /// lower than 8 MiB did, at the same index cost per ride (session 9), and 32 MiB bought nothing measurable either
    /// (session 10). The OS page cache still holds the file.
    /// </summary>
    public int WriterCacheMebibytes { get; init; } = DefaultWriterCacheMebibytes;

    public const int DefaultWriterCacheMebibytes = 4;

    public string DatabasePath => Path.Combine(DataDirectory, FileName);

    /// <summary>
    /// log2 of the rides per ride_keys generation (2^17 = 131,072): the rides the writer holds in memory until their
    /// generation is full and keyed (~24 B each), and what a ride_id search scans at most besides one lookup per
    /// generation; large enough that a lookup through every generation stays short. Generations are read back from the
    /// file, so a file written with another size still reads right.
    /// </summary>
    internal int GenerationBits { get; init; } = 17;

    /// <summary>Keys of the writer's first ride_id filter (2 bytes each); a full filter is followed by one twice its size.</summary>
    internal long FilterCapacity { get; init; } = 1L << 22;
}
