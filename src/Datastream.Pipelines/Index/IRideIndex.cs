using Datastream.Core.Rides;

namespace Datastream.Pipelines.Index;

/// <summary>
/// The index port: rides searchable by time, comfort, price and id, with per-minute rollups for dashboards.
/// Embedded (SQLite) and Elasticsearch implement it. Documents are keyed by ride_id, so a replay overwrites.
/// </summary>
public interface IRideIndex : IAsyncDisposable
{
    /// <summary>"embedded" or "elasticsearch".</summary>
    string Engine { get; }

    /// <summary>
    /// Upserts the rides (last write wins per ride_id). Returns the rides the index refused for good, with the reason
    /// (they go to the DLQ as sink_rejected); throws when the index is unavailable, so the caller retries later.
    /// </summary>
    ValueTask<IReadOnlyList<IndexRejection>> UpsertAsync(IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken = default);

    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Per minute of ride ts and comfort: count, sum of distance, sum of price, for minutes in [from, to).</summary>
    ValueTask<IReadOnlyList<MinuteComfortStats>> MinuteStatsAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default);

    /// <summary>Filtered, paged search, newest ts first.</summary>
    ValueTask<RidePage> SearchAsync(RideQuery query, CancellationToken cancellationToken = default);

    /// <summary>The most recently indexed rides (by agent_timestamp), newest first.</summary>
    ValueTask<IReadOnlyList<FlatRide>> LatestAsync(int count, CancellationToken cancellationToken = default);
}
