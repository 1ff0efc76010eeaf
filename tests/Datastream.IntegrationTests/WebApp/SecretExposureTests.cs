using System.Net;
using System.Net.Sockets;

namespace Datastream.IntegrationTests.WebApp;

/// <summary>
/// Secrets never leave in a message: a password planted in ELASTICSEARCH_URL (the common user:password@ form), in the
/// Elasticsearch password variable's neighbour settings and in the admin token is in no log line, error or API answer
/// of a `serve` whose index does not answer (so every error path that names the index runs).
/// </summary>
public sealed class SecretExposureTests
{
    private const string Planted = "PLANTED-s3cret-9f1c";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APlantedSecret_IsInNoLogLineErrorOrApiAnswer()
    {
        using var dir = new TemporaryDirectory();
        int nothingListens = ClosedPort();
        var environment = new Dictionary<string, string>
        {
            ["DATASTREAM_INDEX"] = "elasticsearch",
            ["ELASTICSEARCH_URL"] = $"http://elastic:{Planted}@127.0.0.1:{nothingListens}",
            ["DATASTREAM_ADMIN_TOKEN"] = Planted + "-token",
        };
        using var run = await WebRun.StartAsync(dir.Path, ["serve", "--verbose"], environment: environment);
        var http = run.Http;

        // The index does not answer: /readyz says so, naming it; every answer is read for the secret.
        string ready = "";
        await Eventually.HoldsAsync("readyz names the index that does not answer", async () =>
        {
            using var response = await http.GetAsync("readyz", Cancel);
            ready = await response.Content.ReadAsStringAsync(Cancel);
            return (response.StatusCode == HttpStatusCode.ServiceUnavailable && ready.Contains("index", StringComparison.Ordinal), ready);
        });
        var answers = new List<string> { ready };
        foreach (string path in new[] { "api/summary", "api/pipelines", "api/rides?limit=1", "api/dashboard/volume", "healthz", "metrics" })
        {
            using var response = await http.GetAsync(path, Cancel);
            answers.Add($"{path} {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
        }

        run.Process.Terminate();
        await run.Process.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains($"127.0.0.1:{nothingListens}", string.Join('\n', answers) + run.Process.Stderr, StringComparison.Ordinal);
        foreach (string text in answers.Append(run.Process.Stdout).Append(run.Process.Stderr))
        {
            Assert.DoesNotContain(Planted, text, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
