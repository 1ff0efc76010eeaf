using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Datastream.Web.Api;

/// <summary>
/// In `run`, the index must answer a count within 2 s for the pages and /api to be ready. A pipeline-only process
/// (`pipeline ... --urls`) has no index of its own to ask, and is ready without it.
/// </summary>
public sealed class IndexHealthCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<RunningSystem>() is not { } system)
        {
            return HealthCheckResult.Healthy("no index in this process");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnswerWithin);
            await system.Index.CountAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"index ({system.Index.Engine}) does not answer: {error.Message}");
        }
    }
}
