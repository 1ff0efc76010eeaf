using Datastream.Core.Clustering;
using Datastream.Warehouse;
using Microsoft.Extensions.Logging;

namespace Datastream.Hosting;

/// <summary>
/// Keeps the revenue per cluster and comfort current while `run` runs (SPEC §4: refreshed continuously), by asking
/// the warehouse again at an interval. Without a warehouse (a GCS lake before the BigQuery adapter exists) it does nothing.
/// </summary>
/// <param name="model">The clusters revenue is computed by, possibly still being trained (refreshes wait for it; a failed training
/// fails each refresh with its message).</param>
public sealed partial class RevenueRefresh(IRideWarehouse? warehouse, Task<KMeansModel> model, ILogger<RevenueRefresh> logger)
{
    /// <summary>
    /// The pause before the first refresh, and between refreshes while the lake holds no rides yet: a refresh of an empty
    /// or tiny lake takes milliseconds, and the first files (rolled early by `run`) show within a second.
    /// </summary>
    private static readonly TimeSpan UntilFirstRides = TimeSpan.FromSeconds(1);

    /// <summary>The level of the line each periodic refresh logs: Debug where a live status line shows revenue already.</summary>
    public LogLevel RefreshLogLevel { get; init; } = LogLevel.Information;

    public IReadOnlyList<RevenueRow>? Latest { get; private set; }

    /// <summary>When <see cref="Latest"/> was last computed.</summary>
    public DateTime? RefreshedAtUtc { get; private set; }

    /// <summary>
    /// At most this share of one core goes to refreshing: a refresh reads the whole lake, so as the lake grows each takes
    /// longer, and the pause after it grows with it.
    /// </summary>
    private const double MaxShareOfACore = 0.1;

    /// <summary>
    /// Refreshes every <paramref name="interval"/>, or less often when a refresh takes longer than a tenth of the pause
    /// (see <see cref="MaxShareOfACore"/>), until <paramref name="stop"/>, with DuckDB held to <see cref="DuckDbLimits.Background"/>.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        try
        {
            // Beside the pipelines on a small machine, an unbounded DuckDB took a core and its hash tables grew the
            // process: the refresh gets one thread and spills to disk instead (a slower refresh costs nobody).
            if (warehouse is DuckDbWarehouse duckDb)
            {
                await duckDb.LimitAsync(DuckDbLimits.Background, stop);
            }

            var pause = TimeSpan.FromTicks(Math.Min(interval.Ticks, UntilFirstRides.Ticks));
            while (true)
            {
                await Task.Delay(pause, stop);
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                var rows = await RefreshAsync(RefreshLogLevel, stop);
                var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                // Until the lake holds rides, a refresh is slow only by DuckDB's cold start (~0.5 s on the first
                // query), which the back-off below would stretch into seconds of empty revenue.
                pause = rows is { Count: > 0 }
                    ? TimeSpan.FromTicks(Math.Max(interval.Ticks, (long)(took.Ticks * ((1 - MaxShareOfACore) / MaxShareOfACore))))
                    : TimeSpan.FromTicks(Math.Min(interval.Ticks, UntilFirstRides.Ticks));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Queries the warehouse now; a failure is logged and leaves the previous figures (analytics never stops the pipelines).</summary>
    public Task<IReadOnlyList<RevenueRow>?> RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(LogLevel.Information, cancellationToken);

    private async Task<IReadOnlyList<RevenueRow>?> RefreshAsync(LogLevel level, CancellationToken cancellationToken)
    {
        if (warehouse is null)
        {
            return null;
        }

        try
        {
            Latest = await warehouse.RevenueAsync(await model.WaitAsync(cancellationToken), cancellationToken);
            RefreshedAtUtc = DateTime.UtcNow;
            Refreshed(logger, level, Latest.Sum(r => r.Revenue), Latest.Sum(r => r.Count), Latest.Count);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            RefreshFailed(logger, error.Message);
        }

        return Latest;
    }

    [LoggerMessage(EventId = 0, Message = "revenue over the lake: {Revenue:F2} from {Rides} rides in {Cells} cluster × comfort cells")]
    private static partial void Refreshed(ILogger logger, LogLevel level, decimal revenue, long rides, int cells);

    [LoggerMessage(EventId = 0, Level = LogLevel.Warning, Message = "revenue refresh failed: {Message}")]
    private static partial void RefreshFailed(ILogger logger, string message);
}
