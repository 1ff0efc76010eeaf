using Datastream.Core.Clustering;

namespace Datastream.Warehouse;

/// <summary>
/// The warehouse port (SPEC §4): SQL over the lake. Revenue per KMeans cluster of the ride's origin and comfort level:
/// `cluster_id, comfort, SUM(price_total) AS revenue, COUNT(*) AS n ... GROUP BY 1, 2 ORDER BY revenue DESC`.
/// DuckDB over the Parquet lake and BigQuery implement it.
/// <para>
/// Only the host asks it (the analytics command, the revenue refresh, the dashboard); no pipeline does. The host may
/// not hold a port its adapters implement (SPEC §2), and both implementations are in this project, so the port is
/// this project's public face, next to them.
/// </para>
/// </summary>
public interface IRideWarehouse : IAsyncDisposable
{
    /// <summary>"duckdb" or "bigquery".</summary>
    string Engine { get; }

    /// <summary>Revenue per (cluster, comfort) over every ride in the lake, with clusters assigned by <paramref name="model"/>.</summary>
    ValueTask<IReadOnlyList<RevenueRow>> RevenueAsync(KMeansModel model, CancellationToken cancellationToken = default);
}
