using Datastream.Core.Rides;

namespace Datastream.Pipelines.Search;

/// <summary>
/// The search port: what the web app (Discover, the dashboard, /api/rides, /readyz) asks of the index. Rides by time,
/// comfort, price and id, and per-minute rollups.
/// <para>
/// Its only client is the host, yet it lives here: Embedded (SQLite) and Elasticsearch implement it, and an adapter
/// may reference Core and Pipelines but never the host (SPEC §2: Core ← Pipelines ← each adapter ← host). So it sits
/// in the ports project, in a namespace of its own, apart from the pipelines' ports; no pipeline calls it.
/// </para>
/// </summary>
public interface IRideSearch : IAsyncDisposable
{
    /// <summary>"embedded" or "elasticsearch".</summary>
    string Engine { get; }

    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Per minute of ride ts and comfort: count, sum of distance, sum of price, for minutes in [from, to).</summary>
    ValueTask<IReadOnlyList<MinuteComfortStats>> MinuteStatsAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default);

    /// <summary>Filtered, paged search, newest ts first.</summary>
    ValueTask<RidePage> SearchAsync(RideQuery query, CancellationToken cancellationToken = default);

    /// <summary>The most recently indexed rides (by agent_timestamp), newest first.</summary>
    ValueTask<IReadOnlyList<FlatRide>> LatestAsync(int count, CancellationToken cancellationToken = default);
}
