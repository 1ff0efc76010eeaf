using Datastream.Pipelines;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Datastream.Web.Api;

/// <summary>
/// Ready once every pipeline of this process has started and until it stops or dies (a pipeline that died says why).
/// A paused or retrying pipeline is still ready: pausing is an operator's choice, and a retrying one heals itself once
/// its sink is back (its lag and failed batches say how long that takes).
/// </summary>
public sealed class PipelinesHealthCheck(PipelineDirectory pipelines) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, object>();
        foreach (var pipeline in pipelines.All)
        {
            if (pipeline.Progress.State is PipelineState.Failed)
            {
                problems[pipeline.Name] = $"{pipeline.Name} failed: {pipeline.Progress.LastError}";
            }
            else if (pipeline.Progress.State is PipelineState.Starting or PipelineState.Stopped)
            {
                problems[pipeline.Name] = $"{pipeline.Name} is {pipeline.Progress.State.ToString().ToLowerInvariant()}";
            }
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy()
            : new HealthCheckResult(context.Registration.FailureStatus, "a pipeline is not running", data: problems));
    }
}
