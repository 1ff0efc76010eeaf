namespace Datastream.Warehouse;

/// <summary>
/// An exclusive lock between processes (and between instances in one process) on a file beside the revenue cache:
/// the web app's revenue refresh and an `analytics revenue` from the command line may query at once, and DuckDB lets
/// only one of them open the cache's database file for writing. .NET takes FileShare.None as an flock on Linux,
/// which the kernel releases when the process dies, so a crashed holder never blocks the others.
/// </summary>
internal sealed class CacheFileLock : IDisposable
{
    /// <summary>How often a waiting query tries the lock again: a warm query holds it for well under a second.</summary>
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(25);

    private readonly FileStream _file;

    private CacheFileLock(FileStream file) => _file = file;

    /// <summary>Waits until this process holds the lock on <paramref name="path"/> (created if missing).</summary>
    public static async Task<CacheFileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new CacheFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another query: wait for it.
                await Task.Delay(RetryEvery, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
