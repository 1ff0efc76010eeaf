using Datastream.Pipelines;

namespace Datastream.Web.Api;

/// <summary>
/// /healthz: the process serves requests (a liveness probe restarts it otherwise). /readyz: every pipeline has
/// started and, in `run`, the index answers, so the pages and /api have something true to show (a readiness probe routes
/// traffic only then). A paused pipeline is still ready: pausing is an operator's choice, not a fault.
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/readyz", async (PipelineDirectory pipelines, IServiceProvider services, CancellationToken cancellation) =>
        {
            var problems = new List<string>();
            foreach (var pipeline in pipelines.All)
            {
                if (pipeline.Progress.State is PipelineState.Starting or PipelineState.Stopped)
                {
                    problems.Add($"{pipeline.Name} is {pipeline.Progress.State.ToString().ToLowerInvariant()}");
                }
            }

            // A pipeline-only process (`pipeline ... --urls`) has no index of its own to ask.
            if (services.GetService<RunningSystem>() is { } system)
            {
                await CheckIndexAsync(system, problems, cancellation);
            }

            return problems.Count == 0
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "not ready", problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }

    private static async Task CheckIndexAsync(RunningSystem system, List<string> problems, CancellationToken cancellation)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await system.Index.CountAsync(timeout.Token);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            problems.Add($"index ({system.Index.Engine}) does not answer: {error.Message}");
        }
    }
}
