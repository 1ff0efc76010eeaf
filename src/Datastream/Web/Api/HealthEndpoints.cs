using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Datastream.Web.Api;

/// <summary>
/// /healthz: the process serves requests (a liveness probe restarts it otherwise). /readyz: every pipeline has
/// started and, in `run`, the index answers, so the pages and /api have something true to show (a readiness probe
/// routes traffic only then). Both on the platform's health checks; the bodies stay the small JSON the probes and
/// the runbooks know: {"status":"ok"}, {"status":"ready"}, or 503 {"status":"not ready","problems":[...]}.
/// </summary>
public static class HealthEndpoints
{
    private const string Readiness = "ready";

    /// <summary>Registers the readiness checks; call before the app is built.</summary>
    public static IHealthChecksBuilder AddDatastreamHealthChecks(this IServiceCollection services)
    {
        // A probe answered "not ready" is an answer, not an error: the service would log every such probe as one.
        services.AddLogging(logging => logging.AddFilter(typeof(HealthCheckService).Namespace, LogLevel.Critical));
        return services.AddHealthChecks()
            .AddCheck<PipelinesHealthCheck>("pipelines", tags: [Readiness])
            .AddCheck<IndexHealthCheck>("index", tags: [Readiness]);
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        // Liveness runs no check: answering at all is the proof.
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => context.Response.WriteAsJsonAsync(new { status = "ok" }),
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Readiness),
            ResponseWriter = WriteReadinessAsync,
        }).WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
    }

    /// <summary>One problem per line of a failed check: each value of its data, else its description.</summary>
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            return context.Response.WriteAsJsonAsync(new { status = "ready" });
        }

        var problems = report.Entries.Values
            .Where(entry => entry.Status != HealthStatus.Healthy)
            .SelectMany(entry => entry.Data.Count > 0
                ? entry.Data.Values.Select(value => value.ToString() ?? "")
                : [entry.Description ?? entry.Exception?.Message ?? "unhealthy"])
            .ToList();
        return context.Response.WriteAsJsonAsync(new { status = "not ready", problems });
    }
}
