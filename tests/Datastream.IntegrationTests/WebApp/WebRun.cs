namespace Datastream.IntegrationTests.WebApp;

/// <summary>A `datastream run` (or `pipeline ... --urls`) with its web app on a free port, and an HTTP client pointed at it.</summary>
public sealed class WebRun : IDisposable
{
    private WebRun(DatastreamProcess process, Uri baseAddress)
    {
        Process = process;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public DatastreamProcess Process { get; }
    public HttpClient Http { get; }

    /// <summary>Starts the command with --urls on port 0, and waits until the web app says where it listens.</summary>
    public static async Task<WebRun> StartAsync(string dataDir, IReadOnlyList<string> args, string host = "127.0.0.1", IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = DatastreamProcess.Start(dataDir, [.. args, "--urls", $"http://{host}:0"], environment);
        try
        {
            return new WebRun(process, await process.WebAddressAsync(TimeSpan.FromSeconds(60)));
        }
        catch (TimeoutException)
        {
            process.Dispose();
            throw;
        }
    }

    public async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await Http.GetAsync("metrics", TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET /metrics: {response.StatusCode}");
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        Http.Dispose();
        Process.Dispose();
    }

}
