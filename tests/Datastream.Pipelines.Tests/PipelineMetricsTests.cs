using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Datastream.Core.Generation;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Producer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Pipelines.Tests;

/// <summary>
/// The metrics both pipelines share mean the same in each: every record is measured once, when its output is
/// committed (a batch that failed and was re-read is not measured twice), and the sink writes name the sink's engine.
/// </summary>
public sealed class PipelineMetricsTests
{
    private static readonly TopicNames Topics = new();

    [Fact]
    public async Task EachRecordsEventLatency_IsMeasuredOnceCommitted_InBothPipelines_EvenWhenABatchIsRedone()
    {
        var log = await LogWithRidesAsync(400);
        log.CommitFailures.Enqueue(new IOException("database is locked"));
        using var captured = new CapturedMetrics();
        await new ComputeCostPipeline(log, new ComputeCostSettings { BatchSize = 100, MinRetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero },
            captured.Metrics, NullLogger<ComputeCostPipeline>.Instance).RunAsync(() => true, TestContext.Current.CancellationToken);
        var index = new InMemoryRideIndex();
        index.Failures.Enqueue(new IOException("index unavailable"));
        await new IndexAndExportPipeline(log, index, new InMemoryRideLake(rollRows: 150),
            new IndexAndExportSettings { BatchSize = 100, MinRetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero },
            captured.Metrics, NullLogger<IndexAndExportPipeline>.Instance).RunAsync(() => true, TestContext.Current.CancellationToken);

        int results = log.Records(Topics.Result).Count;
        Assert.Equal(400, captured.Count("datastream_event_latency_seconds", ("pipeline", ComputeCostPipeline.Name)));
        Assert.Equal(results, captured.Count("datastream_event_latency_seconds", ("pipeline", IndexAndExportPipeline.Name)));
    }

    [Fact]
    public async Task SinkWrites_NameTheSinkAndItsEngine_NotTheDagTask()
    {
        var log = await LogWithRidesAsync(300);
        await new ComputeCostPipeline(log, new ComputeCostSettings(), new DatastreamMetrics(), NullLogger<ComputeCostPipeline>.Instance)
            .RunAsync(() => true, TestContext.Current.CancellationToken);
        var index = new InMemoryRideIndex();
        index.Failures.Enqueue(new IOException("index unavailable"));
        using var captured = new CapturedMetrics();

        await new IndexAndExportPipeline(log, index, new InMemoryRideLake(rollRows: 100),
            new IndexAndExportSettings { BatchSize = 100, MinRetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero },
            captured.Metrics, NullLogger<IndexAndExportPipeline>.Instance).RunAsync(() => true, TestContext.Current.CancellationToken);

        var labelSets = captured.LabelSets("datastream_sink_writes", "sink", "engine", "outcome");
        Assert.Contains(("index", "in-memory", "ok"), labelSets);
        Assert.Contains(("index", "in-memory", "error"), labelSets);
        Assert.Contains(("lake", "local", "ok"), labelSets);
        Assert.All(labelSets, set => Assert.Contains(set.Item1, new[] { "index", "lake" }));
    }

    private static async Task<InMemoryLog> LogWithRidesAsync(int count)
    {
        var log = new InMemoryLog();
        foreach (string topic in new[] { Topics.Raw, Topics.Result, Topics.Dlq })
        {
            await log.CreateTopicAsync(new TopicSpec(topic));
        }

        var random = new Random(11);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { InvalidRatio = 0.05 });
        await new RideProducer(log, Topics.Raw, NullLogger<RideProducer>.Instance)
            .RunAsync(new GeneratedRideSource(generator), new ProduceLimits(count, null, 0), CancellationToken.None);
        return log;
    }

    /// <summary>The measurements of one DatastreamMetrics only (other tests run their own meters of the same name meanwhile).</summary>
    private sealed class CapturedMetrics : IMeterFactory
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public CapturedMetrics()
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == this)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => _measurements.Enqueue((instrument.Name, tags.ToArray())));
            _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => _measurements.Enqueue((instrument.Name, tags.ToArray())));
            _listener.Start();
            Metrics = new DatastreamMetrics(this);
        }

        public DatastreamMetrics Metrics { get; }

        public Meter Create(MeterOptions options) => new(new MeterOptions(options.Name) { Scope = this });

        public int Count(string instrument, (string Key, string Value) tag) =>
            _measurements.Count(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value)));

        public HashSet<(string, string, string)> LabelSets(string instrument, string first, string second, string third) =>
            _measurements.Where(m => m.Instrument == instrument).Select(m => (Tag(m.Tags, first), Tag(m.Tags, second), Tag(m.Tags, third))).ToHashSet();

        public void Dispose()
        {
            _listener.Dispose();
            Metrics.Dispose();
        }

        private static string Tag(KeyValuePair<string, object?>[] tags, string key) => tags.FirstOrDefault(t => t.Key == key).Value?.ToString() ?? "";
    }
}
