using Datastream.Cli;
using Microsoft.Extensions.Logging;

namespace Datastream.Web;

/// <summary>The web app of a command with the background work that feeds it (pipeline rates, the dead-letter feed, rides_raw's size); stopped together.</summary>
public sealed class RunningWebApp : IAsyncDisposable
{
    private readonly DatastreamWebApp _app;
    private readonly IReadOnlyList<Task> _feeding;

    private RunningWebApp(DatastreamWebApp app, IReadOnlyList<Task> feeding)
    {
        this._app = app;
        this._feeding = feeding;
    }

    public IReadOnlyList<string> Urls => _app.Urls;

    /// <summary>Starts the app; its background work ends with <paramref name="stop"/>, which the caller cancels before disposing.</summary>
    public static async Task<RunningWebApp> StartAsync(CommandEnvironment env, IReadOnlyList<PipelineView> pipelines, RunningSystem? system,
        IReadOnlyList<string> urls, AdminAccess access, CancellationToken stop)
    {
        var app = await DatastreamWebApp.StartAsync(pipelines, system, urls, access, env.Options.AllowedHosts, env.Logging, env.EnvironmentName, stop);
        env.Logger<DatastreamWebApp>().LogInformation("web app listening on {Urls}", string.Join(' ', app.Urls));
        var feeding = new List<Task> { new PipelineRates(pipelines).RunAsync(stop) };
        if (system is not null)
        {
            feeding.Add(system.DeadLetters.RunAsync(env.Options.DeadLetters.PageCacheBytes, stop));
            feeding.Add(system.RawTopic.RunAsync(stop));
        }

        return new RunningWebApp(app, feeding);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await Task.WhenAll(_feeding);
    }
}
