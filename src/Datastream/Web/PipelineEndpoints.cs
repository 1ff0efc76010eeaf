using Datastream.Cli;

namespace Datastream.Web;

/// <summary>
/// `pipeline ... --urls`: a pipeline running as its own service (compose, Kubernetes, Airflow) serves /metrics for
/// Prometheus, /healthz and /readyz for its orchestrator, and /api/pipelines with pause/resume. Without --urls it
/// serves nothing, as before.
/// </summary>
public sealed class PipelineEndpoints
{
    private readonly IReadOnlyList<string>? _urls;
    private readonly AdminAccess? _access;

    private PipelineEndpoints(IReadOnlyList<string>? urls, AdminAccess? access)
    {
        this._urls = urls;
        this._access = access;
    }

    /// <summary>Checks the addresses and the admin token before any engine opens (a usage error, not a failure half-way).</summary>
    public static PipelineEndpoints From(string? urls)
    {
        var parsed = urls is null ? [] : WebUrls.Parse(urls);
        return parsed.Count > 0 ? new PipelineEndpoints(parsed, AdminAccess.For(parsed)) : new PipelineEndpoints(null, null);
    }

    /// <summary>Serves the pipeline until the returned handle is disposed; a no-op handle without --urls.</summary>
    public async Task<IAsyncDisposable> StartAsync(CommandEnvironment env, PipelineView pipeline)
    {
        if (_urls is null || _access is null)
        {
            return NoEndpoints.Instance;
        }

        var stop = new CancellationTokenSource();
        var app = await RunningWebApp.StartAsync(env, [pipeline], null, _urls, _access, stop.Token);
        return new Serving(app, stop);
    }

    private sealed class Serving(RunningWebApp app, CancellationTokenSource stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await app.DisposeAsync();
            stop.Dispose();
        }
    }

    private sealed class NoEndpoints : IAsyncDisposable
    {
        public static readonly NoEndpoints Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
