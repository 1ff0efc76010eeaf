namespace Datastream.Tests.Observability;

public sealed class AlertRulesTests
{
    private static readonly string AlertsPath = RepositoryRoot.File("deploy/prometheus/alerts.yml");

    [Fact]
    public void EveryAlertHasAnExpressionThatSelectsAMetric()
    {
        var rules = AlertRulesFile.Read(AlertsPath);

        // The reader is line-based: an alert it could not follow would otherwise escape the name check below.
        Assert.Equal(AlertRulesFile.CountAlerts(AlertsPath), rules.Count);
        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.NotEmpty(MetricNameChecker.MetricNames(rule.Expression)));
    }

    [Fact]
    public void EveryMetricTheAlertsUseIsExportedByTheApp()
    {
        var unknown = AlertRulesFile.Read(AlertsPath)
            .SelectMany(rule => MetricNameChecker.Unknown(rule.Expression, ExportedMetrics.SeriesNames).Select(name => $"{rule.Alert}: {name}"))
            .ToList();

        Assert.True(unknown.Count == 0, $"not exported by DatastreamMetrics: {string.Join(", ", unknown)}");
    }

    /// <summary>The reader and the checker together, on a rule file like the real one with one misspelt name.</summary>
    [Fact]
    public void AMisspeltMetricInARuleFileIsReported()
    {
        using var dir = new TemporaryDirectory();
        File.WriteAllText(dir.File("alerts.yml"), """
            groups:
              - name: datastream
                rules:
                  - alert: Inline
                    expr: sum by (pipeline) (datastream_consumer_lag_records) > 0
                  - alert: Block
                    expr: |
                      sum by (pipeline) (rate(datastream_dlq_record_total[2m]))
                        / sum by (pipeline) (rate(datastream_records_consumed_total[2m])) > 0.05
                    for: 5m
            """);

        var rules = AlertRulesFile.Read(dir.File("alerts.yml"));

        Assert.Equal(["Inline", "Block"], rules.Select(r => r.Alert));
        Assert.Empty(MetricNameChecker.Unknown(rules[0].Expression, ExportedMetrics.SeriesNames));
        Assert.Equal(["datastream_dlq_record_total"], MetricNameChecker.Unknown(rules[1].Expression, ExportedMetrics.SeriesNames));
    }

    [Fact]
    public void EveryAlertCarriesSeverityAndPointsAtAnExistingRunbookSection()
    {
        string alerts = File.ReadAllText(AlertsPath);
        string runbook = File.ReadAllText(RepositoryRoot.File("docs/runbook_observability.md"));
        var anchors = runbook.Split('\n').Where(l => l.StartsWith('#')).Select(Anchor).ToHashSet();
        var links = System.Text.RegularExpressions.Regex.Matches(alerts, @"runbook:\s*""docs/runbook_observability\.md#(?<anchor>[a-z0-9-]+)""")
            .Select(m => m.Groups["anchor"].Value).ToList();

        int count = AlertRulesFile.CountAlerts(AlertsPath);
        Assert.Equal(count, links.Count);
        Assert.Equal(count, System.Text.RegularExpressions.Regex.Matches(alerts, @"severity:\s*(warning|critical)\b").Count);
        Assert.All(links, anchor => Assert.Contains(anchor, anchors));
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string Anchor(string heading)
    {
        string text = heading.TrimStart('#').Trim().ToLowerInvariant();
        return new string(text.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
    }
}
