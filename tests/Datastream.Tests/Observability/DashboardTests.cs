using System.Text.Json;

namespace Datastream.Tests.Observability;

public sealed class DashboardTests
{
    private const string DataSource = "${DS_PROMETHEUS}";
    private static readonly string DashboardPath = RepositoryRoot.File("deploy/grafana/datastream-dashboard.json");

    [Fact]
    public void DeclaresThePrometheusInputAndVariable()
    {
        using var dashboard = Load();
        var root = dashboard.RootElement;

        // __inputs is what Grafana's import dialog asks for; the variable is what a provisioned file resolves.
        Assert.Contains(root.GetProperty("__inputs").EnumerateArray(),
            i => i.GetProperty("name").GetString() == "DS_PROMETHEUS" && i.GetProperty("type").GetString() == "datasource" && i.GetProperty("pluginId").GetString() == "prometheus");
        Assert.Contains(root.GetProperty("templating").GetProperty("list").EnumerateArray(),
            v => v.GetProperty("name").GetString() == "DS_PROMETHEUS" && v.GetProperty("type").GetString() == "datasource" && v.GetProperty("query").GetString() == "prometheus");
        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
    }

    [Fact]
    public void EveryPanelAndTargetQueriesThePrometheusInput()
    {
        using var dashboard = Load();
        var panels = Panels(dashboard.RootElement).ToList();

        Assert.NotEmpty(panels);
        Assert.All(panels, panel =>
        {
            string title = panel.GetProperty("title").GetString()!;
            Assert.True(IsPrometheusInput(panel.GetProperty("datasource")), $"panel '{title}' does not use {DataSource}");
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has no query");
            Assert.All(targets, t => Assert.True(IsPrometheusInput(t.GetProperty("datasource")), $"a query of '{title}' does not use {DataSource}"));
        });
    }

    [Fact]
    public void PanelIdsAreUnique()
    {
        using var dashboard = Load();
        var ids = Panels(dashboard.RootElement).Select(p => p.GetProperty("id").GetInt32()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void EveryMetricTheDashboardQueriesIsExportedByTheApp()
    {
        using var dashboard = Load();
        var unknown = Queries(dashboard.RootElement)
            .SelectMany(q => MetricNameChecker.Unknown(q.Expression, ExportedMetrics.SeriesNames).Select(name => $"{q.Where}: {name}"))
            .ToList();

        Assert.True(unknown.Count == 0, $"not exported by DatastreamMetrics: {string.Join(", ", unknown)}");
    }

    /// <summary>A new instrument should come with a panel: the dashboard is where operators look first.</summary>
    [Fact]
    public void EveryInstrumentIsOnTheDashboard()
    {
        using var dashboard = Load();
        var used = Queries(dashboard.RootElement).SelectMany(q => MetricNameChecker.MetricNames(q.Expression)).ToHashSet();

        Assert.All(ExportedMetrics.Instruments, i => Assert.True(i.Series.Any(used.Contains), $"no panel queries {i.Instrument} ({string.Join(", ", i.Series)})"));
    }

    /// <summary>
    /// The queries are PromQL once Grafana's variables are filled in; promtool checks them as recording rules,
    /// so a typo in a panel is caught here rather than as an empty graph after import.
    /// </summary>
    [Fact]
    public async Task EveryPanelQueryIsValidPromQl()
    {
        using var dashboard = Load();
        using var dir = new TemporaryDirectory();
        var lines = new List<string> { "groups:", "  - name: dashboard", "    rules:" };
        int n = 0;
        foreach (var (where, expression) in Queries(dashboard.RootElement).Where(q => !q.Where.StartsWith("variable", StringComparison.Ordinal)))
        {
            string promQl = expression.Replace("$__rate_interval", "1m").Replace("$pipeline", ".*");
            Assert.DoesNotContain("$", promQl);
            lines.Add($"      - record: dashboard:query{n++}");
            lines.Add("        expr: " + JsonSerializer.Serialize(promQl));
        }

        File.WriteAllLines(dir.File("dashboard_rules.yml"), lines);

        await PromtoolTests.AssertPromtoolSucceeds("check", "rules", dir.File("dashboard_rules.yml"));
    }

    [Fact]
    public void TheCheckerCatchesAMisspeltMetricInAPanel()
    {
        string json = File.ReadAllText(DashboardPath).Replace("datastream_sink_writes_total", "datastream_sink_write_total", StringComparison.Ordinal);
        using var dashboard = JsonDocument.Parse(json);

        var unknown = Queries(dashboard.RootElement).SelectMany(q => MetricNameChecker.Unknown(q.Expression, ExportedMetrics.SeriesNames)).Distinct();

        Assert.Equal(["datastream_sink_write_total"], unknown);
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(DashboardPath));

    private static bool IsPrometheusInput(JsonElement datasource) =>
        datasource.ValueKind == JsonValueKind.Object
        && datasource.TryGetProperty("uid", out var uid) && uid.GetString() == DataSource
        && datasource.TryGetProperty("type", out var type) && type.GetString() == "prometheus";

    /// <summary>Every panel, also those nested in a collapsed row; a row itself runs no query.</summary>
    private static IEnumerable<JsonElement> Panels(JsonElement container)
    {
        foreach (var panel in container.GetProperty("panels").EnumerateArray())
        {
            if (panel.GetProperty("type").GetString() != "row")
            {
                yield return panel;
            }

            if (panel.TryGetProperty("panels", out _))
            {
                foreach (var nested in Panels(panel))
                {
                    yield return nested;
                }
            }
        }
    }

    private static IEnumerable<(string Where, string Expression)> Queries(JsonElement root)
    {
        foreach (var panel in Panels(root))
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return ($"panel '{panel.GetProperty("title").GetString()}'", target.GetProperty("expr").GetString()!);
            }
        }

        foreach (var variable in root.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                var query = variable.GetProperty("query");
                string text = query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!;
                yield return ($"variable ${variable.GetProperty("name").GetString()}", text);
            }
        }
    }
}
