namespace Datastream.Tests.Observability;

public sealed class MetricNameCheckerTests
{
    private static readonly IReadOnlySet<string> Exported = new HashSet<string> { "datastream_records_consumed_total", "datastream_consumer_lag_records" };

    [Fact]
    public void FindsTheSelectedMetrics_NotFunctionsLabelsDurationsOrVariables()
    {
        const string expression = """
            histogram_quantile(0.99, sum by (pipeline, le) (rate(datastream_batch_duration_seconds_bucket{pipeline=~"$pipeline", kind!="a b"}[$__rate_interval])))
            / on (pipeline) group_left(topic)
            max without (partition) (deriv(datastream_consumer_lag_records[10m:1m] offset 5m)) # not_a_metric in a comment
            unless ignoring(x) up == bool 1e3
            """;

        Assert.Equal(["datastream_batch_duration_seconds_bucket", "datastream_consumer_lag_records", "up"], MetricNames(expression));
    }

    [Fact]
    public void FindsAMetricBeforeAnAggregationsGroupingClause() =>
        Assert.Equal(["datastream_dlq_records_total"], MetricNames("sum(rate(datastream_dlq_records_total[5m])) by (kind) > 0"));

    [Fact]
    public void ReadsTheSelectorOfAGrafanaLabelValuesQuery_NotItsLabel() =>
        Assert.Equal(["datastream_consumer_lag_records"], MetricNames("label_values(datastream_consumer_lag_records, pipeline)"));

    [Fact]
    public void ReportsANameTheAppDoesNotExport()
    {
        var unknown = MetricNameChecker.Unknown("sum(rate(datastream_records_consumed_total[5m])) / sum(rate(datastream_records_consumd_total[5m]))", Exported);

        Assert.Equal(["datastream_records_consumd_total"], unknown);
    }

    [Fact]
    public void AcceptsExportedNamesAndWhatPrometheusAddsItself() =>
        Assert.Empty(MetricNameChecker.Unknown("datastream_consumer_lag_records > 0 unless on (instance) up == 0", Exported));

    [Fact]
    public void ACounterWithoutItsTotalSuffixIsUnknown() =>
        Assert.Equal(["datastream_records_consumed"], MetricNameChecker.Unknown("rate(datastream_records_consumed[5m])", Exported));

    private static string[] MetricNames(string expression) => [.. MetricNameChecker.MetricNames(expression).Order(StringComparer.Ordinal)];
}
