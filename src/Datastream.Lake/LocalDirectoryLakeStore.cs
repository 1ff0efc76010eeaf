using System.Runtime.CompilerServices;

namespace Datastream.Lake;

/// <summary>
/// The lake in a local directory (DATASTREAM_LAKE=local, root &lt;data-dir&gt;/lake): keys are relative paths. A file is
/// written to a hidden temporary next to its final path, flushed to disk, then renamed over the final path, so
/// readers (DuckDB globbing *.parquet) see either the old file or the whole new one. A process killed while writing
/// leaves its temporary behind; <see cref="DeleteUnfinishedAsync"/> removes those.
/// </summary>
public sealed class LocalDirectoryLakeStore : ILakeStore
{
    internal const string TemporarySuffix = ".tmp";

    private readonly string _root;

    public LocalDirectoryLakeStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Location => _root;

    public async ValueTask WriteAsync(string key, Func<Stream, CancellationToken, ValueTask> writeContent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeContent);
        var target = PathOf(key);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        // Same directory, so the rename stays on one file system and is atomic; the dot and suffix keep it out of globs.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await writeContent(stream, cancellationToken).ConfigureAwait(false);
                // Durable before visible: a rename of unflushed data could leave an empty file after a power loss.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // The prefix may end inside a name ("rides/proc"): walk from its last complete directory and filter.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : PathOf(prefix[..slash]);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') && name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return key;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Its hour directory is gone too: nothing to delete.
        }

        PruneEmptyDirectories(Path.GetDirectoryName(path)!);
        return ValueTask.CompletedTask;
    }

    public ValueTask MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default)
    {
        var from = PathOf(fromKey);
        var to = PathOf(toKey);
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        try
        {
            // One rename on one file system: atomic, and what it replaces is replaced whole.
            File.Move(from, to, overwrite: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && File.Exists(to))
        {
            // Moved before a crash or by the partition's next owner: done already.
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"No lake file '{fromKey}' to move to '{toKey}'.", from, e);
        }

        PruneEmptyDirectories(Path.GetDirectoryName(from)!);
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> DeleteUnfinishedAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : PathOf(prefix[..slash]);
        if (!Directory.Exists(start))
        {
            return ValueTask.FromResult(0);
        }

        var deleted = 0;
        foreach (var path in Directory.EnumerateFiles(start, $".*{TemporarySuffix}", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                File.Delete(path);
                PruneEmptyDirectories(Path.GetDirectoryName(path)!);
                deleted++;
            }
        }

        return ValueTask.FromResult(deleted);
    }

    public ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No lake file '{key}'.", path);
        }

        return ValueTask.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Removes <paramref name="directory"/> and its parents up to the root while they are empty: staging makes one
    /// directory per commit, and they must not pile up. A directory another writer fills meanwhile stays (not empty).
    /// </summary>
    private void PruneEmptyDirectories(string directory)
    {
        while (directory.Length > _root.Length && directory.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            try
            {
                Directory.Delete(directory, recursive: false);
            }
            catch (IOException)
            {
                return; // not empty, or already gone
            }

            directory = Path.GetDirectoryName(directory)!;
        }
    }

    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));
        // Keys come from configuration (the prefix): refuse anything that climbs out of the root.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && path != _root)
        {
            throw new ArgumentException($"Lake key '{key}' leaves the lake root.", nameof(key));
        }

        return path;
    }
}
