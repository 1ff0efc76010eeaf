using Datastream.Core.Dlq;
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
    public async Task FailedBatches_AreCountedForBothPipelines_EachUnderItsOwnName()
    {
        var log = await LogWithRidesAsync(300);
        log.CommitFailures.Enqueue(new IOException("database is locked"));
        log.CommitFailures.Enqueue(new IOException("database is locked"));
        using var captured = new CapturedMetrics();
        var computeCost = new ComputeCostPipeline(log, new ComputeCostSettings { BatchSize = 100, MinRetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero },
            captured.Metrics, NullLogger<ComputeCostPipeline>.Instance);
        await computeCost.RunAsync(() => true, TestContext.Current.CancellationToken);
        var index = new InMemoryRideIndex();
        for (int i = 0; i < 3; i++)
        {
            index.Failures.Enqueue(new IOException("index unavailable"));
        }

        var export = new IndexAndExportPipeline(log, index, new InMemoryRideLake(rollRows: 100),
            new IndexAndExportSettings { BatchSize = 100, MinRetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero },
            captured.Metrics, NullLogger<IndexAndExportPipeline>.Instance);
        await export.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(2, captured.Count("datastream_failed_batches", ("pipeline", ComputeCostPipeline.Name)));
        Assert.Equal(3, captured.Count("datastream_failed_batches", ("pipeline", IndexAndExportPipeline.Name)));
        Assert.Equal(2, computeCost.Progress.FailedBatches);
        Assert.Equal(3, export.Progress.FailedBatches);
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

    [Fact]
    public void EveryCounter_IsExportedAtZero_ForTheLabelSetsOfWhatIsBuilt_BeforeAnythingRuns()
    {
        using var captured = new CapturedMetrics();
        var log = new InMemoryLog();
        _ = new RideProducer(log, Topics.Raw, NullLogger<RideProducer>.Instance, captured.Metrics);
        _ = new ComputeCostPipeline(log, new ComputeCostSettings(), captured.Metrics, NullLogger<ComputeCostPipeline>.Instance);
        _ = new IndexAndExportPipeline(log, new InMemoryRideIndex(), new InMemoryRideLake(rollRows: 100), new IndexAndExportSettings(),
            captured.Metrics, NullLogger<IndexAndExportPipeline>.Instance);
        string[] pipelines = [ComputeCostPipeline.Name, IndexAndExportPipeline.Name];

        Assert.Equal(
            new HashSet<(string, string, string)> { (ComputeCostPipeline.Name, Topics.Raw, ""), (IndexAndExportPipeline.Name, Topics.Result, "") },
            Zeros(captured.Series("datastream_records_consumed", "pipeline", "topic", "none")));
        Assert.Equal(
            new HashSet<(string, string, string)>
            {
                (RideProducer.Name, Topics.Raw, ""), (ComputeCostPipeline.Name, Topics.Result, ""), (ComputeCostPipeline.Name, Topics.Dlq, ""),
                (IndexAndExportPipeline.Name, Topics.Dlq, ""),
            },
            Zeros(captured.Series("datastream_records_produced", "pipeline", "topic", "none")));
        Assert.Equal(
            pipelines.SelectMany(p => Enum.GetValues<RejectionKind>().Select(k => (p, k.WireName(), ""))).ToHashSet(),
            Zeros(captured.Series("datastream_dlq_records", "pipeline", "kind", "none")));
        Assert.Equal(pipelines.Select(p => (p, "", "")).ToHashSet(), Zeros(captured.Series("datastream_failed_batches", "pipeline", "none", "none")));
        Assert.Equal(
            new HashSet<(string, string, string)>
            {
                ("index", "in-memory", "ok"), ("index", "in-memory", "rejected"), ("index", "in-memory", "error"), ("lake", "local", "ok"), ("lake", "local", "error"),
            },
            Zeros(captured.Series("datastream_sink_writes", "sink", "engine", "outcome")));

        static HashSet<(string, string, string)> Zeros(Dictionary<(string, string, string), long> series)
        {
            Assert.All(series, s => Assert.Equal(0, s.Value));
            return [.. series.Keys];
        }
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
}
