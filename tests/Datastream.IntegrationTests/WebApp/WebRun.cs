using System.Text.RegularExpressions;

namespace Datastream.IntegrationTests.WebApp;

/// <summary>A `datastream run` (or `pipeline ... --urls`) with its web app on a free port, and an HTTP client pointed at it.</summary>
public sealed partial class WebRun : IDisposable
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
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var match = Listening().Match(process.Stderr);
            if (match.Success)
            {
                return new WebRun(process, new Uri($"http://127.0.0.1:{match.Groups["port"].Value}/"));
            }

            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                string stderr = process.Stderr;
                process.Dispose();
                Assert.Fail($"the web app did not start; stderr: {stderr}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
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

    [GeneratedRegex(@"web app listening on http://[^\s:]+:(?<port>\d+)")]
    private static partial Regex Listening();
}
