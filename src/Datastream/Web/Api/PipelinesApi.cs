using Datastream.Pipelines;

namespace Datastream.Web.Api;

/// <summary>/api/pipelines: the two DAGs with their state, counts, rate, lag and dead letters; pause and resume.</summary>
public static class PipelinesApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pipelines", (PipelineDirectory pipelines) => pipelines.All.Select(Describe));
        app.MapGet("/api/pipelines/{name}", (string name, PipelineDirectory pipelines) =>
            pipelines.Find(name) is { } pipeline ? Results.Ok(Describe(pipeline)) : UnknownPipeline(name));
        app.MapPost("/api/pipelines/{name}/pause", (string name, HttpRequest request, PipelineDirectory pipelines, AdminAccess access) =>
            Switch(name, request, pipelines, access, pause: true));
        app.MapPost("/api/pipelines/{name}/resume", (string name, HttpRequest request, PipelineDirectory pipelines, AdminAccess access) =>
            Switch(name, request, pipelines, access, pause: false));
    }

    public static PipelineStatus Describe(PipelineView pipeline)
    {
        var progress = pipeline.Progress;
        return new PipelineStatus(
            pipeline.Name,
            pipeline.Tasks,
            pipeline.Stages,
            pipeline.InputTopic,
            pipeline.Outputs,
            // The state is the runner's own: "paused" once the batch in hand is committed and nothing moves, not as soon as
            // the switch is flipped (that is `paused`), so a reader who sees "paused" sees figures that stay still.
            progress.State.ToString().ToLowerInvariant(),
            pipeline.Pause.IsPaused,
            progress.Consumed,
            progress.Produced,
            progress.Dlq,
            progress.Indexed,
            progress.LakeRows,
            progress.LakeFiles,
            progress.Batches,
            progress.FailedBatches,
            Math.Round(pipeline.ConsumedPerSecond, 1),
            progress.Lag.Sum(l => l.Lag),
            progress.Lag.Select(l => new PartitionLagStatus(l.Topic, l.Partition, l.Position, l.EndOffset, l.Lag)).ToList(),
            progress.Latency.Percentile(0.50),
            progress.Latency.Percentile(0.99),
            progress.LastError);
    }

    private static IResult Switch(string name, HttpRequest request, PipelineDirectory pipelines, AdminAccess access, bool pause)
    {
        // A page of another site cannot make the operator's browser pause a pipeline (cross-site POSTs need no preflight).
        if (request.Headers.Origin.FirstOrDefault() is { } origin
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || !string.Equals(originUri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Problem($"cross-origin request from {origin} refused", statusCode: StatusCodes.Status403Forbidden);
        }

        if (!access.Allows(AdminAccess.PresentedBy(request)))
        {
            return Results.Problem("this endpoint needs the admin token (Authorization: Bearer <DATASTREAM_ADMIN_TOKEN>)", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (pipelines.Find(name) is not { } pipeline)
        {
            return UnknownPipeline(name);
        }

        bool changed = pause ? pipeline.Pause.Pause() : pipeline.Pause.Resume();
        return Results.Ok(new { pipeline = pipeline.Name, paused = pipeline.Pause.IsPaused, changed });
    }

    private static IResult UnknownPipeline(string name) =>
        Results.Problem($"no pipeline '{name}' runs in this process", statusCode: StatusCodes.Status404NotFound);
}
