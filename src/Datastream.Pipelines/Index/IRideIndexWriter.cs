using Datastream.Core.Rides;

namespace Datastream.Pipelines.Index;

/// <summary>
/// The index port as index-and-export sees it (PutElasticSearch): rides go in, keyed by ride_id, so a replay
/// overwrites. Embedded (SQLite) and Elasticsearch implement it; the web app reads the same engines through
/// <see cref="Search.IRideSearch"/>.
/// </summary>
public interface IRideIndexWriter : IAsyncDisposable
{
    /// <summary>"embedded" or "elasticsearch".</summary>
    string Engine { get; }

    /// <summary>
    /// Upserts the rides (last write wins per ride_id). Returns the rides the index refused for good, with the reason
    /// (they go to the DLQ as sink_rejected); throws when the index is unavailable, so the caller retries later.
    /// </summary>
    ValueTask<IReadOnlyList<IndexRejection>> UpsertAsync(IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken = default);
}
