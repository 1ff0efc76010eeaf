using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Datastream.IntegrationTests.WebApp;

/// <summary>A real Prometheus server scrapes a live run: what it stores is what the run reports.</summary>
public sealed class PrometheusScrapeTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_ScrapesALiveRun_AndHoldsTheSummarysCounts()
    {
        string prometheus = RequiredTool.Find("prometheus", "install the Debian package prometheus (apt-get install -y prometheus)");
        using var dir = new TemporaryDirectory();
        using var run = await WebRun.StartAsync(dir.Path, ["run", "--count", "8000", "--rate", "2000", "--invalid-ratio", "0.02", "--json", "--keep-serving", "--seed", "9"]);

        int port = FreePort();
        string config = Path.Combine(dir.Path, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: datastream
                static_configs:
                  - targets: ["{run.Http.BaseAddress!.Authority}"]
            """);
        var info = new ProcessStartInfo(prometheus)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir.Path, "tsdb")}",
                $"--web.listen-address=127.0.0.1:{port}",
            },
        };
        using var server = Process.Start(info)!;
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await WebAppEndToEndTests.Until(() => Task.FromResult(run.Process.Stdout.Trim().Length > 0 || run.Process.HasExited), "the run's summary");
            using var summary = JsonDocument.Parse(run.Process.Stdout.Trim());
            long raw = summary.RootElement.GetProperty("raw").GetInt64();
            long dlq = summary.RootElement.GetProperty("dlq").GetInt64();
            Assert.Equal(8000, raw);

            await WebAppEndToEndTests.Until(async () => await QueryAsync(api, "up{job=\"datastream\"}") == 1, "the target is up");
            await WebAppEndToEndTests.Until(async () => await QueryAsync(api, "sum(datastream_records_consumed_total{pipeline=\"compute-cost\"})") == raw,
                "Prometheus holds the final records consumed");
            Assert.Equal(dlq, await QueryAsync(api, "sum(datastream_dlq_records_total)"));
            Assert.Equal(0, await QueryAsync(api, "sum(datastream_consumer_lag_records)"));
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync(Cancel);
            run.Process.Terminate();
        }
    }

    /// <summary>An instant query's single value, or null when Prometheus has no sample (yet).</summary>
    private static async Task<double?> QueryAsync(HttpClient api, string query)
    {
        try
        {
            var answer = await api.GetFromJsonAsync<JsonElement>($"api/v1/query?query={WebUtility.UrlEncode(query)}", Cancel);
            Assert.Equal("success", answer.GetProperty("status").GetString());
            var result = answer.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null; // Prometheus is still starting.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
