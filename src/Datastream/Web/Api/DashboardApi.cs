using Datastream.Warehouse;

namespace Datastream.Web.Api;

/// <summary>/api/dashboard/* and /api/revenue: the dashboard's panels as JSON.</summary>
public static class DashboardApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard/volume", async (int? minutes, DashboardQueries queries, CancellationToken cancellation) =>
            minutes is < 1 or > 1440
                ? Results.Problem($"minutes: {minutes} is not between 1 and 1440", statusCode: StatusCodes.Status400BadRequest)
                : Results.Ok(await queries.VolumeAsync(minutes ?? 30, cancellation)));
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
