using System.Text.RegularExpressions;
using Datastream.Core.Dlq;

namespace Datastream.IntegrationTests.WebApp;

/// <summary>
/// /metrics like a good exporter's (SPEC §7): scraped as soon as `run` serves it, before any ride, every counter and
/// gauge docs/runbook_observability.md documents is there, at 0, for each known label set. The expected names come
/// from the runbook's table, so a metric documented there and not exported fails this test.
/// </summary>
public sealed partial class MetricsAtStartTests
{
    private static readonly string[] Pipelines = ["compute-cost", "index-and-export"];

    [Fact]
    public async Task RightAfterStart_EveryDocumentedCounterAndGauge_IsExportedAtZero_ForItsKnownLabelSets()
    {
        var documented = DocumentedMetrics();
        Assert.Contains("datastream_dlq_records_total", documented.Keys);
        using var dir = new TemporaryDirectory();
        // --count 0: nothing is ever produced, so every figure must be 0 whenever it is scraped.
        using var run = await WebRun.StartAsync(dir.Path, ["run", "--count", "0", "--json", "--keep-serving"]);

        // The first scrape, as soon as the web app answers (it starts before the producer and the pipelines run).
        var first = await run.ScrapeAsync();
        foreach (var (name, type) in documented.Where(d => d.Value is "counter" && d.Key != LagGauge || d.Value is "gauge" && d.Key != LagGauge))
        {
            var samples = first.Samples(name);
            Assert.True(samples.Count > 0, $"{name} ({type}, documented in the runbook) is not exported right after start");
            Assert.All(samples, s => Assert.Equal(0, s.Value));
        }

        Assert.Equal(
            Pipelines.SelectMany(p => Enum.GetValues<RejectionKind>().Select(k => $"{p} {k.WireName()}")).Order(),
            first.Samples("datastream_dlq_records_total").Select(s => $"{s.Labels["pipeline"]} {s.Labels["kind"]}").Order());
        Assert.Equal(
            ["compute-cost rides_dlq", "compute-cost rides_result", "index-and-export rides_dlq", "producer rides_raw"],
            first.Samples("datastream_records_produced_total").Select(s => $"{s.Labels["pipeline"]} {s.Labels["topic"]}").Order());
        Assert.Equal(
            ["compute-cost rides_raw", "index-and-export rides_result"],
            first.Samples("datastream_records_consumed_total").Select(s => $"{s.Labels["pipeline"]} {s.Labels["topic"]}").Order());
        Assert.Equal(
            ["index embedded error", "index embedded ok", "index embedded rejected", "lake local error", "lake local ok"],
            first.Samples("datastream_sink_writes_total").Select(s => $"{s.Labels["sink"]} {s.Labels["engine"]} {s.Labels["outcome"]}").Order());
        Assert.Equal(Pipelines, first.Samples("datastream_failed_batches_total").Select(s => s.Labels["pipeline"]).Order());
        Assert.Equal(Pipelines, first.Samples("datastream_pipeline_paused").Select(s => s.Labels["pipeline"]).Order());

        // The lag is a measurement per partition a pipeline owns: exported once each pipeline has measured it.
        Assert.Equal("gauge", documented[LagGauge]);
        PrometheusText? withLag = null;
        await Eventually.HoldsAsync("both pipelines export their lag", async () =>
        {
            withLag = await run.ScrapeAsync();
            var pipelines = withLag.Samples(LagGauge).Select(s => s.Labels["pipeline"]).Distinct().Order().ToList();
            return (pipelines.SequenceEqual(Pipelines), string.Join(',', pipelines));
        });
        Assert.All(withLag!.Samples(LagGauge), s => Assert.Equal(0, s.Value));

        // Histograms: System.Diagnostics.Metrics cannot export one with no observation; the runbook says so.
        Assert.All(documented.Where(d => d.Value == "histogram"), d => Assert.False(first.Has(d.Key + "_count"), $"{d.Key} observed before any batch"));
        Assert.Contains("histograms appear with their first observation", Runbook());

        run.Process.Terminate();
        Assert.Equal(0, await run.Process.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private const string LagGauge = "datastream_consumer_lag_records";

    private static string Runbook() => File.ReadAllText(RepositoryRoot.File("docs/runbook_observability.md"));

    /// <summary>The runbook's metrics table: series name → type (counter, gauge, histogram).</summary>
    private static Dictionary<string, string> DocumentedMetrics() =>
        MetricRow().Matches(Runbook()).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value);

    [GeneratedRegex(@"^\| `(?<name>datastream_[a-z_]+)` \| (?<type>counter|gauge|histogram) \|", RegexOptions.Multiline)]
    private static partial Regex MetricRow();
}
