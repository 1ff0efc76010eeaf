namespace Datastream.Tests.Observability;

public sealed class ExportedMetricsTests
{
    /// <summary>
    /// SPEC §7's series, plus the pause gauge the alerts rely on. The dashboard and alert checks trust
    /// ExportedMetrics, so it must itself see every instrument, each with the exporter's suffixes.
    /// </summary>
    [Fact]
    public void DerivesTheSeriesOfSpec7FromTheInstruments()
    {
        string[] expected =
        [
            "datastream_batch_duration_seconds_bucket", "datastream_batch_duration_seconds_count", "datastream_batch_duration_seconds_sum",
            "datastream_consumer_lag_records",
            "datastream_dlq_records_total",
            "datastream_event_latency_seconds_bucket", "datastream_event_latency_seconds_count", "datastream_event_latency_seconds_sum",
            "datastream_failed_batches_total",
            "datastream_pipeline_paused",
            "datastream_records_consumed_total",
            "datastream_records_produced_total",
            "datastream_sink_writes_total",
        ];

        Assert.Subset(ExportedMetrics.SeriesNames.ToHashSet(), expected.ToHashSet());
    }

    [Fact]
    public void KindsFollowTheInstruments()
    {
        var kinds = ExportedMetrics.Instruments.ToDictionary(i => i.Instrument, i => i.Kind);

        Assert.Equal("counter", kinds["datastream_records_consumed"]);
        Assert.Equal("histogram", kinds["datastream_batch_duration_seconds"]);
        Assert.Equal("gauge", kinds["datastream_consumer_lag_records"]);
        Assert.Equal("gauge", kinds["datastream_pipeline_paused"]);
    }
}
