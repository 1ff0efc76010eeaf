using Datastream.Core.Clustering;
using Datastream.Warehouse;
using Microsoft.Extensions.Logging;

namespace Datastream.Hosting;

/// <summary>
/// Keeps the revenue per cluster and comfort current while `run` runs (SPEC §4: refreshed continuously), by asking
/// the warehouse again at an interval. Without a warehouse (a GCS lake before the BigQuery adapter exists) it does nothing.
/// </summary>
public sealed class RevenueRefresh(IRideWarehouse? warehouse, KMeansModel model, ILogger<RevenueRefresh> logger)
{
    public IReadOnlyList<RevenueRow>? Latest { get; private set; }

    /// <summary>When <see cref="Latest"/> was last computed.</summary>
    public DateTime? RefreshedAtUtc { get; private set; }

    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await RefreshAsync(stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Queries the warehouse now; a failure is logged and leaves the previous figures (analytics never stops the pipelines).</summary>
    public async Task<IReadOnlyList<RevenueRow>?> RefreshAsync(CancellationToken cancellationToken)
    {
        if (warehouse is null)
        {
            return null;
        }

        try
        {
            Latest = await warehouse.RevenueAsync(model, cancellationToken);
            RefreshedAtUtc = DateTime.UtcNow;
            logger.LogInformation("revenue over the lake: {Revenue:F2} from {Rides} rides in {Cells} cluster × comfort cells",
                Latest.Sum(r => r.Revenue), Latest.Sum(r => r.Count), Latest.Count);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning("revenue refresh failed: {Message}", error.Message);
        }

        return Latest;
    }
}
