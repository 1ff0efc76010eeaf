using Datastream.Warehouse;

namespace Datastream.Web.Api;

/// <summary>/api/dashboard/* and /api/revenue: the dashboard's panels as JSON.</summary>
public static class DashboardApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // range=15m|1h|24h|all (the dashboard's selector), or minutes=N for any window up to a day; neither: the last hour.
        app.MapGet("/api/dashboard/volume", async (int? minutes, string? range, DashboardQueries queries, CancellationToken cancellation) =>
        {
            if (minutes is not null && range is not null)
            {
                return Results.Problem("give either minutes or range, not both", statusCode: StatusCodes.Status400BadRequest);
            }

            if (minutes is < 1 or > 1440)
            {
                return Results.Problem($"minutes: {minutes} is not between 1 and 1440", statusCode: StatusCodes.Status400BadRequest);
            }

            TimeSpan? span;
            try
            {
                span = minutes is { } m ? TimeSpan.FromMinutes(m) : (range is null ? TimeRange.Default : TimeRange.Parse(range)).Span;
            }
            catch (ArgumentException error)
            {
                return Results.Problem(error.Message, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Ok(await queries.VolumeAsync(span, cancellation));
        });
        app.MapGet("/api/dashboard/pickups", async (int? count, DashboardQueries queries, CancellationToken cancellation) =>
            count is < 1 or > 5000
                ? Results.Problem($"count: {count} is not between 1 and 5000", statusCode: StatusCodes.Status400BadRequest)
                : Results.Ok(await queries.PickupsAsync(count ?? 1000, cancellation)));
        app.MapGet("/api/revenue", (RunningSystem system) => Results.Ok(new
        {
            rows = system.Revenue.Latest ?? (IReadOnlyList<RevenueRow>)[],
            refreshed_at = system.Revenue.RefreshedAtUtc,
        }));
        app.MapGet("/api/summary", (RunningSystem system) => Results.Ok(new
        {
            produced = system.Produced(),
            engines = new { log = system.LogEngine, index = system.Index.Engine, lake = system.LakeLocation },
            pipelines = system.Pipelines.Select(PipelinesApi.Describe),
        }));
    }
}
