using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Datastream.Hosting;
using Datastream.Pipelines;
using Datastream.Pipelines.Running;
using Datastream.Tests.Hosting;
using Datastream.Web;
using Microsoft.Extensions.Logging;

namespace Datastream.Tests.Web;

/// <summary>/readyz and /api/pipelines of the real web app (as `pipeline ... --urls` starts it) over pipelines that run, or died.</summary>
public sealed class ReadinessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APipelineThatDied_MakesReadyz503_NamingItAndItsError_AndShowsFailedInTheApi()
    {
        await using var pipelines = await DeadPipeline.CreateAsync();
        await using var app = await StartAsync(PipelineView.Of(pipelines.Running, DeadPipeline.Healthy), PipelineView.Of(pipelines.Dying, DeadPipeline.Missing));
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls[0] + "/") };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var running = Task.Run(() => pipelines.Running.RunAsync(untilIdle: null, stop.Token), Cancel);
        await Eventually.HoldsAsync("healthy pipeline idle", () => pipelines.Running.Progress.State == PipelineState.Idle, interval: TimeSpan.FromMilliseconds(10));

        await Assert.ThrowsAsync<PipelineFailedException>(() => pipelines.Dying.RunAsync(untilIdle: null, Cancel));

        var readyz = await http.GetAsync("readyz", Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        var body = await readyz.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("not ready", body.GetProperty("status").GetString());
        string problem = Assert.Single(body.GetProperty("problems").EnumerateArray()).GetString()!;
        Assert.Equal($"compute-cost failed: topic '{DeadPipeline.Missing.Dlq}' does not exist (create it with 'datastream topics create')", problem);
        var dying = (await http.GetFromJsonAsync<JsonElement>("api/pipelines", Cancel)).EnumerateArray()
            .Single(p => p.GetProperty("input").GetString() == DeadPipeline.Missing.Raw);
        Assert.Equal("failed", dying.GetProperty("state").GetString());
        Assert.Equal(1, dying.GetProperty("failed_batches").GetInt64());
        Assert.Contains(DeadPipeline.Missing.Dlq, dying.GetProperty("last_error").GetString(), StringComparison.Ordinal);

        await stop.CancelAsync();
        await running;
    }

    private static async Task<DatastreamWebApp> StartAsync(params PipelineView[] pipelines)
    {
        string[] urls = ["http://127.0.0.1:0"];
        return await DatastreamWebApp.StartAsync(pipelines, system: null, urls, AdminAccess.For(urls, new Dictionary<string, string?>()), allowedHosts: null,
            new HostLogging(LogLevel.Warning, Json: false), "Production", Cancel);
    }
}
