using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Metrics;

/// <summary>
/// The instruments of SPEC §7 on one System.Diagnostics.Metrics meter. Counter names carry no "_total": the
/// Prometheus exporters append it. The counters are <see cref="CumulativeCounter"/>s: each label set a pipeline, the
/// producer or a sink takes its series of when it is built is exported at 0 from then on. The gauges are observed
/// from what the pipelines registered. The histograms appear with their first measurement: System.Diagnostics.Metrics
/// has no way to export an empty histogram (recording a 0 would count an observation).
/// </summary>
public sealed class DatastreamMetrics : IDisposable
{
    public const string MeterName = "Datastream";
    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, Func<IReadOnlyList<PartitionLag>>> _lagSources = new();
    private readonly ConcurrentDictionary<string, Func<bool>> _pausedSources = new();

    public DatastreamMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        RecordsConsumed = new CumulativeCounter(_meter, "datastream_records_consumed", "Records read from a topic by a pipeline");
        RecordsProduced = new CumulativeCounter(_meter, "datastream_records_produced", "Records written to a topic by a pipeline");
        DlqRecords = new CumulativeCounter(_meter, "datastream_dlq_records", "Records sent to the dead-letter topic, by kind");
        BatchDuration = _meter.CreateHistogram<double>("datastream_batch_duration_seconds", "s", "Time to process and commit one batch");
        EventLatency = _meter.CreateHistogram<double>("datastream_event_latency_seconds", "s", "From a record's log timestamp to its output being committed");
        SinkWrites = new CumulativeCounter(_meter, "datastream_sink_writes", "Writes to a sink (index, lake), by engine and outcome");
        FailedBatches = new CumulativeCounter(_meter, "datastream_failed_batches", "Attempts at a batch that failed (poll, sink, commit); each is retried from the committed offsets");
        _meter.CreateObservableGauge("datastream_consumer_lag_records", ObserveLag, description: "Records behind the end of each partition");
        _meter.CreateObservableGauge("datastream_pipeline_paused", ObservePaused, description: "1 while an operator has paused the pipeline, else 0");
    }

    public CumulativeCounter RecordsConsumed { get; }
    public CumulativeCounter RecordsProduced { get; }
    public CumulativeCounter DlqRecords { get; }
    public Histogram<double> BatchDuration { get; }
    public Histogram<double> EventLatency { get; }
    public CumulativeCounter SinkWrites { get; }

    /// <summary>Rises with every failed attempt while a pipeline retries: with a flat commit rate, a pipeline that is stuck.</summary>
    public CumulativeCounter FailedBatches { get; }

    /// <summary>A pipeline's dead-letter series, one per kind of SPEC §3.5 (indexed by <see cref="RejectionKind"/>), each exported at 0 from now on.</summary>
    public IReadOnlyList<CounterSeries> DeadLetterSeries(string pipeline) =>
        Enum.GetValues<RejectionKind>()
            .Select(kind => DlqRecords.Series(new KeyValuePair<string, object?>("pipeline", pipeline), new KeyValuePair<string, object?>("kind", kind.WireName())))
            .ToArray();

    /// <summary>Registers where a pipeline's latest lag snapshot comes from.</summary>
    public void TrackLag(string pipeline, Func<IReadOnlyList<PartitionLag>> latestLag) => _lagSources[pipeline] = latestLag;

    /// <summary>Registers how to tell whether an operator has paused a pipeline (alerts treat a paused pipeline as not stalled).</summary>
    public void TrackPaused(string pipeline, Func<bool> isPaused) => _pausedSources[pipeline] = isPaused;

    private IEnumerable<Measurement<int>> ObservePaused()
    {
        foreach (var (pipeline, isPaused) in _pausedSources)
        {
            yield return new Measurement<int>(isPaused() ? 1 : 0, new KeyValuePair<string, object?>("pipeline", pipeline));
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var (pipeline, source) in _lagSources)
        {
            foreach (var lag in source())
            {
                yield return new Measurement<long>(lag.Lag,
                    new KeyValuePair<string, object?>("pipeline", pipeline),
                    new KeyValuePair<string, object?>("topic", lag.Topic),
                    new KeyValuePair<string, object?>("partition", lag.Partition));
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}
