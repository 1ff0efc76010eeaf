namespace Datastream.Lake;

/// <summary>
/// Where the lake's files live: a flat namespace of '/'-separated keys, as in an object store. Every write is
/// atomic: a reader sees either no object under the key or the whole new content, never a part.
/// </summary>
public interface ILakeStore : IAsyncDisposable
{
    /// <summary>A directory path or gs://bucket, for logs.</summary>
    string Location { get; }

    /// <summary>
    /// Creates or replaces the object <paramref name="key"/> with what <paramref name="writeContent"/> writes into
    /// the (seekable, writable) stream it is given; the object becomes visible, whole and durable, only after
    /// <paramref name="writeContent"/> returns. On failure nothing is visible.
    /// </summary>
    ValueTask WriteAsync(string key, Func<Stream, CancellationToken, ValueTask> writeContent, CancellationToken cancellationToken = default);

    /// <summary>Keys of the visible objects that start with <paramref name="prefix"/>, in no particular order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; a key already gone is not an error (deletes are replayed after a crash).</summary>
    ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves an object to another key, replacing what is there; the destination appears whole (a rename locally, a
    /// server-side copy then a delete on GCS). A source already gone is not an error when the destination exists:
    /// moves are replayed after a crash.
    /// </summary>
    ValueTask MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes what writes that never finished left under <paramref name="prefix"/> (a process killed while writing);
    /// returns how many. Only where unfinished writes leave something behind (a local temporary file).
    /// </summary>
    ValueTask<int> DeleteUnfinishedAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Opens an object for reading as a seekable stream; throws <see cref="FileNotFoundException"/> if missing.</summary>
    ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);
}
