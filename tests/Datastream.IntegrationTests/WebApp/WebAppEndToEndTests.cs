using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Datastream.IntegrationTests.WebApp;

/// <summary>The web app of `run` over HTTP: /metrics against the summary, health, /api errors, and who may pause.</summary>
public sealed class WebAppEndToEndTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MetricsCounters_AgreeWithTheJsonSummary_AndOnlyGrowDuringTheRun()
    {
        using var dir = new TemporaryDirectory();
        using var run = await WebRun.StartAsync(dir.Path, ["run", "--count", "20000", "--rate", "4000", "--invalid-ratio", "0.02", "--json", "--keep-serving", "--seed", "21"]);

        // During the run: scrapes never go backwards.
        double previous = 0;
        string summaryLine;
        while ((summaryLine = run.Process.Stdout.Trim()).Length == 0)
        {
            var during = await run.ScrapeAsync();
            double consumed = during.Sum("datastream_records_consumed_total", ("pipeline", "compute-cost"));
            Assert.True(consumed >= previous, $"records consumed went from {previous} to {consumed}");
            previous = consumed;
            Assert.False(run.Process.HasExited, $"run ended without a summary; stderr: {run.Process.Stderr}");
            await Task.Delay(250, Cancel);
        }

        // The run is over and the app stays up (--keep-serving): the final counters equal the summary's counts.
        using var summary = JsonDocument.Parse(summaryLine);
        var s = summary.RootElement;
        var metrics = await run.ScrapeAsync();
        Assert.Equal(20000, s.GetProperty("produced").GetInt64());
        Assert.Equal(s.GetProperty("produced").GetInt64(), metrics.Sum("datastream_records_produced_total", ("pipeline", "producer"), ("topic", "rides_raw")));
        Assert.Equal(s.GetProperty("raw").GetInt64(), metrics.Sum("datastream_records_consumed_total", ("pipeline", "compute-cost"), ("topic", "rides_raw")));
        Assert.Equal(s.GetProperty("result").GetInt64(), metrics.Sum("datastream_records_produced_total", ("pipeline", "compute-cost"), ("topic", "rides_result")));
        Assert.Equal(s.GetProperty("result").GetInt64(), metrics.Sum("datastream_records_consumed_total", ("pipeline", "index-and-export"), ("topic", "rides_result")));
        Assert.Equal(s.GetProperty("dlq").GetInt64(), metrics.Sum("datastream_dlq_records_total"));
        Assert.Equal(s.GetProperty("dlq").GetInt64(), metrics.Sum("datastream_records_produced_total", ("topic", "rides_dlq")));
        foreach (var kind in s.GetProperty("dlq_by_kind").EnumerateObject())
        {
            Assert.Equal(kind.Value.GetInt64(), metrics.Sum("datastream_dlq_records_total", ("kind", kind.Name)));
        }

        Assert.Equal(s.GetProperty("indexed").GetInt64(), metrics.Sum("datastream_sink_writes_total", ("sink", "index"), ("engine", "embedded"), ("outcome", "ok")));
        Assert.Equal(s.GetProperty("lake_files").GetInt64(), metrics.Sum("datastream_sink_writes_total", ("sink", "lake"), ("engine", "local"), ("outcome", "ok")));
        Assert.True(metrics.Sum("datastream_batch_duration_seconds_count", ("pipeline", "compute-cost")) > 0);
        Assert.Equal(s.GetProperty("result").GetInt64(), metrics.Sum("datastream_event_latency_seconds_count", ("pipeline", "index-and-export")));
        Assert.True(metrics.Has("datastream_consumer_lag_records"));
        Assert.Equal(0, metrics.Sum("datastream_consumer_lag_records"));

        run.Process.Terminate();
        Assert.Equal(0, await run.Process.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Health_Api_AndPauseResume_OnLoopback()
    {
        using var dir = new TemporaryDirectory();
        using var run = await WebRun.StartAsync(dir.Path, ["run", "--rate", "500", "--invalid-ratio", "0.05", "--seed", "4"]);
        var http = run.Http;

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz", Cancel)).StatusCode);
        await Until(async () => (await http.GetAsync("readyz", Cancel)).StatusCode == HttpStatusCode.OK, "readyz");
        await Until(async () => (await http.GetFromJsonAsync<JsonElement>("api/rides?limit=5", Cancel)).GetProperty("total").GetInt64() > 0, "rides indexed");

        var page = await http.GetFromJsonAsync<JsonElement>("api/rides?limit=1", Cancel);
        string rideId = page.GetProperty("rides")[0].GetProperty("ride_id").GetString()!;
        var ride = await http.GetFromJsonAsync<JsonElement>($"api/rides/{rideId}", Cancel);
        Assert.Equal(rideId, ride.GetProperty("ride_id").GetString());
        Assert.EndsWith("Z", ride.GetProperty("ts").GetString());
        var found = await http.GetFromJsonAsync<JsonElement>($"api/rides?ride_id={rideId}", Cancel);
        Assert.Equal(1, found.GetProperty("total").GetInt64());

        await AssertProblem(http.GetAsync("api/rides?comfort=luxury", Cancel), HttpStatusCode.BadRequest, "comfort: 'luxury' is not one of low, medium, high");
        await AssertProblem(http.GetAsync("api/rides?limit=0", Cancel), HttpStatusCode.BadRequest, "limit: 0 is not between 1 and 500");
        await AssertProblem(http.GetAsync("api/rides?from=yesterday", Cancel), HttpStatusCode.BadRequest, "from: 'yesterday' is not an ISO-8601 instant");
        await AssertProblem(http.GetAsync($"api/rides/{Guid.NewGuid()}", Cancel), HttpStatusCode.NotFound, "no ride");
        await AssertProblem(http.GetAsync("api/dead-letters?kind=bogus", Cancel), HttpStatusCode.BadRequest, "kind: 'bogus' is not one of");
        await AssertProblem(http.PostAsync("api/pipelines/no-such/pause", null, Cancel), HttpStatusCode.NotFound, "no pipeline 'no-such'");

        await Until(async () => (await http.GetFromJsonAsync<JsonElement>("api/dead-letters?limit=5", Cancel)).GetProperty("matching").GetInt64() > 0, "dead letters listed");
        var volume = await http.GetFromJsonAsync<JsonElement>("api/dashboard/volume?minutes=10", Cancel);
        Assert.True(volume.GetProperty("minutes").GetArrayLength() > 0);
        var pickups = await http.GetFromJsonAsync<JsonElement>("api/dashboard/pickups?count=50", Cancel);
        Assert.Equal(8, pickups.GetProperty("centroids").GetArrayLength());

        // The DAGs as stages: DAG#2's two sinks run side by side after TransformJSON.
        var export = await http.GetFromJsonAsync<JsonElement>("api/pipelines/index-and-export", Cancel);
        Assert.Equal("""[["ConsumeKafka"],["TransformJSON"],["PutElasticSearch","PutGCP"]]""", export.GetProperty("stages").GetRawText());
        Assert.Equal(["ConsumeKafka", "TransformJSON", "PutElasticSearch", "PutGCP"], export.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));

        // A page of another site cannot pause, even on loopback.
        using (var crossSite = new HttpRequestMessage(HttpMethod.Post, "api/pipelines/compute-cost/pause"))
        {
            crossSite.Headers.Add("Origin", "https://evil.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite, Cancel)).StatusCode);
        }

        // DNS rebinding: another site's name resolved to 127.0.0.1 arrives with its own Host header and is refused.
        using (var rebound = new HttpRequestMessage(HttpMethod.Post, "api/pipelines/compute-cost/pause"))
        {
            rebound.Headers.Host = "evil.example";
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(rebound, Cancel)).StatusCode);
        }

        using (var local = new HttpRequestMessage(HttpMethod.Get, "healthz"))
        {
            local.Headers.Host = "localhost";
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(local, Cancel)).StatusCode);
        }

        // On loopback no token is needed.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("api/pipelines/compute-cost/pause", null, Cancel)).StatusCode);
        await Until(async () => State(await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)) == "paused", "compute-cost paused");
        long consumed = (await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)).GetProperty("consumed").GetInt64();
        await Until(async () => (await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)).GetProperty("lag").GetInt64() > 0, "lag grows while paused");
        Assert.Equal(consumed, (await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)).GetProperty("consumed").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz", Cancel)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("api/pipelines/compute-cost/resume", null, Cancel)).StatusCode);
        await Until(async () => (await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)).GetProperty("consumed").GetInt64() > consumed, "consuming again");

        run.Process.Terminate();
        Assert.Equal(0, await run.Process.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task BeyondLoopback_StateChangesNeedTheAdminToken()
    {
        using var dir = new TemporaryDirectory();
        var refused = await DatastreamProcess.RunAsync(dir.Path, ["run", "--count", "10", "--urls", "http://0.0.0.0:0"], TimeSpan.FromMinutes(1));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("listens beyond loopback: set DATASTREAM_ADMIN_TOKEN or DATASTREAM_ADMIN_TOKEN_FILE", refused.Stderr);

        File.WriteAllText(Path.Combine(dir.Path, "token"), "s3cret-token\n");
        using var run = await WebRun.StartAsync(dir.Path, ["run", "--rate", "100"], host: "0.0.0.0",
            environment: new Dictionary<string, string> { ["DATASTREAM_ADMIN_TOKEN_FILE"] = Path.Combine(dir.Path, "token") });
        var http = run.Http;

        await AssertProblem(http.PostAsync("api/pipelines/compute-cost/pause", null, Cancel), HttpStatusCode.Unauthorized, "admin token");
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "api/pipelines/compute-cost/pause"))
        {
            wrong.Headers.Add("Authorization", "Bearer s3cret-tokeN");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong, Cancel)).StatusCode);
        }

        Assert.False((await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)).GetProperty("paused").GetBoolean());
        using (var right = new HttpRequestMessage(HttpMethod.Post, "api/pipelines/compute-cost/pause"))
        {
            right.Headers.Add("X-Admin-Token", "s3cret-token");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right, Cancel)).StatusCode);
        }

        Assert.True((await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)).GetProperty("paused").GetBoolean());
        // Reading needs no token.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/pipelines", Cancel)).StatusCode);

        run.Process.Terminate();
        Assert.Equal(0, await run.Process.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task APipelineRunAsItsOwnService_ServesMetricsHealthAndPauseResume_ButNoPages()
    {
        using var dir = new TemporaryDirectory();
        await ComputeCostEndToEndTests.Ok(dir, "produce", "--count", "2000", "--invalid-ratio", "0.05", "--seed", "6");
        using var run = await WebRun.StartAsync(dir.Path, ["pipeline", "compute-cost"]);
        var http = run.Http;

        await Until(async () => (await http.GetAsync("readyz", Cancel)).StatusCode == HttpStatusCode.OK, "readyz");
        var pipelines = await http.GetFromJsonAsync<JsonElement>("api/pipelines", Cancel);
        Assert.Equal("compute-cost", Assert.Single(pipelines.EnumerateArray()).GetProperty("name").GetString());
        await Until(async () => (await run.ScrapeAsync()).Sum("datastream_records_consumed_total", ("pipeline", "compute-cost")) == 2000, "all 2000 consumed");
        var metrics = await run.ScrapeAsync();
        Assert.Equal(metrics.Sum("datastream_dlq_records_total"), metrics.Sum("datastream_records_produced_total", ("topic", "rides_dlq")));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/rides", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("api/pipelines/compute-cost/pause", null, Cancel)).StatusCode);
        await Until(async () => State(await http.GetFromJsonAsync<JsonElement>("api/pipelines/compute-cost", Cancel)) == "paused", "paused");

        run.Process.Terminate();
        Assert.Equal(0, await run.Process.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("compute-cost: consumed 2000 records", run.Process.Stderr);
    }

    [Fact]
    public async Task Serve_ShowsWhatOtherProcessesWrote()
    {
        using var dir = new TemporaryDirectory();
        await ComputeCostEndToEndTests.Ok(dir, "run", "--count", "3000", "--rate", "0", "--invalid-ratio", "0.05", "--no-web", "--seed", "13");
        using var run = await WebRun.StartAsync(dir.Path, ["serve"]);
        var http = run.Http;

        await Until(async () => (await http.GetAsync("readyz", Cancel)).StatusCode == HttpStatusCode.OK, "readyz");
        await Until(async () => (await http.GetFromJsonAsync<JsonElement>("api/summary", Cancel)).GetProperty("produced").GetInt64() == 3000, "rides_raw counted");
        // Every ride is indexed or a dead letter (the feed reads rides_dlq from its beginning, so give it a moment).
        await Until(async () =>
        {
            var rides = await http.GetFromJsonAsync<JsonElement>("api/rides?limit=1", Cancel);
            var letters = await http.GetFromJsonAsync<JsonElement>("api/dead-letters?limit=1", Cancel);
            return rides.GetProperty("total").GetInt64() + letters.GetProperty("matching").GetInt64() == 3000;
        }, "indexed + dead letters = produced");
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>("api/pipelines", Cancel)).EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("", Cancel)).StatusCode);
        Assert.Contains("No pipeline runs in this process", await http.GetStringAsync("pipelines", Cancel));

        run.Process.Terminate();
        Assert.Equal(0, await run.Process.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>These tests wait on whole runs of the CLI: up to a minute.</summary>
    internal static Task Until(Func<Task<bool>> condition, string what) =>
        Eventually.HoldsAsync(what, condition, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));

    private static string State(JsonElement pipeline) => pipeline.GetProperty("state").GetString()!;

    private static async Task AssertProblem(Task<HttpResponseMessage> request, HttpStatusCode status, string detail)
    {
        using var response = await request;
        string body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Contains(detail, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }
}
