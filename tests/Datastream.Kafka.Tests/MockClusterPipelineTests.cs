using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Datastream.Core.Generation;
using Datastream.Core.Rides;
using Datastream.Kafka.Testing;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Producer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Kafka.Tests;

/// <summary>
/// The compute-cost pipeline and consumer-group handovers on the mock cluster. The mock neither stores offsets sent
/// with SendOffsetsToTransaction nor hides aborted records, so exactly-once is proven by the protocol tests
/// (UnitOfWorkProtocolTests); here, the API flow end to end and "nothing lost, nothing doubled without a failure".
/// </summary>
[Collection(MockClusterCollection.Name)]
public sealed class MockClusterPipelineTests(MockKafkaCluster cluster)
{
    private const int SmallMaxMessageBytes = 4096;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ComputeCost_WritesExactlyOneResultOrDeadLetterPerRawRecord()
    {
        const int rides = 3000;
        var topics = CreateTopics("cc");
        await using var log = new KafkaLog(cluster.Options());
        await ProduceRidesAsync(log, topics.Raw, rides, invalidRatio: 0.05);

        var (elapsed, progress) = await RunPipelineAsync(log, topics, rides, batchSize: 500);

        Assert.Equal(rides, progress.Consumed);
        await using var reader = log.CreateConsumer(new ConsumerSpec("cc-reader", [topics.Raw, topics.Result, topics.Dlq]));
        var all = await MockClusterLogTests.PollUntilAsync(reader, 2 * rides + 1, TimeSpan.FromSeconds(3 + elapsed.TotalSeconds));
        var raw = all.Where(r => r.Topic == topics.Raw).ToList();
        var results = all.Where(r => r.Topic == topics.Result).ToList();
        var deadLetters = all.Where(r => r.Topic == topics.Dlq).ToList();
        Assert.Equal(rides, raw.Count);
        Assert.Equal(progress.Dlq, deadLetters.Count);

        var dlqSources = deadLetters.Select(r =>
        {
            var source = JsonDocument.Parse(r.Value).RootElement.GetProperty("source");
            return (source.GetProperty("partition").GetInt32(), source.GetProperty("offset").GetInt64());
        }).ToList();
        var resultIds = results.Select(r => Encoding.UTF8.GetString(r.Key!)).ToList();
        Assert.Equal(dlqSources.Count, dlqSources.Distinct().Count());
        Assert.Equal(resultIds.Count, resultIds.Distinct().Count());
        Assert.Equal(rides, dlqSources.Count + resultIds.Count);
        var rejected = dlqSources.ToHashSet();
        var published = resultIds.ToHashSet();
        foreach (var record in raw.Where(r => !rejected.Contains((r.Partition, r.Offset))))
        {
            Assert.Contains(JsonDocument.Parse(record.Value).RootElement.GetProperty("ride_id").GetString()!, published);
        }
    }

    [Fact]
    public async Task TwoMembers_SplitSixPartitions_AndTheSurvivorTakesAll_WithoutLoss()
    {
        string input = cluster.NewTopicName("split-in");
        string output = cluster.NewTopicName("split-out");
        cluster.CreateTopic(input, 6);
        cluster.CreateTopic(output, 6);
        await using var log = new KafkaLog(cluster.Options());
        await MockClusterLogTests.ProduceAsync(log, input, "first", 300);
        var seen = new HashSet<string>();
        var spec = new ConsumerSpec("split-group", [input]) { Transactional = true };

        var a = log.CreateConsumer(spec with { MemberId = "a" });
        await StepUntilAsync(() => a.Assignment.Count == 6, seen, a);
        // Joins the group as soon as it exists (librdkafka's background thread), so only after A holds all six.
        await using var b = log.CreateConsumer(spec with { MemberId = "b" });
        try
        {
            await StepUntilAsync(() => a.Assignment.Count == 3 && b.Assignment.Count == 3, seen, a, b);
            Assert.Empty(a.Assignment.Intersect(b.Assignment));
            await MockClusterLogTests.ProduceAsync(log, input, "second", 300);
            await StepUntilAsync(() => seen.Count(v => v.StartsWith("second", StringComparison.Ordinal)) >= 100, seen, a, b);
        }
        finally
        {
            await a.DisposeAsync();
        }

        // The survivor takes A's partitions. On the mock it restarts them from the earliest offset (transactional
        // offsets are not stored there), so records may be seen twice: at-least-once here; none may be missing.
        await StepUntilAsync(() => b.Assignment.Count == 6 && seen.Count == 600, seen, b);
        Assert.Equal(6, b.Assignment.Count);
        Assert.Equal(600, seen.Count);
    }

    private TopicNames CreateTopics(string prefix)
    {
        var topics = new TopicNames(cluster.NewTopicName($"{prefix}-raw"), cluster.NewTopicName($"{prefix}-result"), cluster.NewTopicName($"{prefix}-dlq"));
        foreach (string topic in new[] { topics.Raw, topics.Result, topics.Dlq })
        {
            cluster.CreateTopic(topic, 6);
        }

        return topics;
    }

    private static async Task ProduceRidesAsync(ILog log, string topic, int count, double invalidRatio)
    {
        var random = new Random(23);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { InvalidRatio = invalidRatio, MaxMessageBytes = SmallMaxMessageBytes });
        await new RideProducer(log, topic, NullLogger<RideProducer>.Instance)
            .RunAsync(new GeneratedRideSource(generator), new ProduceLimits(count, null, 0), Ct);
    }

    /// <summary>
    /// Runs the pipeline until it has consumed every raw record. Not with untilIdle: its idle check reads the group's
    /// committed offsets, which the mock does not store for transactions.
    /// </summary>
    private static async Task<(TimeSpan Elapsed, PipelineProgress Progress)> RunPipelineAsync(ILog log, TopicNames topics, int rides, int batchSize)
    {
        var pipeline = new ComputeCostPipeline(
            log,
            new ComputeCostSettings
            {
                Topics = topics,
                Group = $"{topics.Raw}-compute-cost",
                BatchSize = batchSize,
                Transform = new ComputeCostOptions { MaxMessageBytes = SmallMaxMessageBytes },
            },
            new DatastreamMetrics(),
            NullLogger<ComputeCostPipeline>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(TimeSpan.FromMinutes(5));
        var started = Stopwatch.StartNew();
        var run = pipeline.RunAsync(null, stop.Token);
        while (pipeline.Progress.Consumed < rides && !run.IsCompleted && !stop.IsCancellationRequested)
        {
            await Task.Delay(10, Ct);
        }

        var elapsed = started.Elapsed;
        await stop.CancelAsync();
        await run;
        return (elapsed, pipeline.Progress);
    }

    /// <summary>Polls every member once per round (each batch committed in its own transaction) until the condition holds.</summary>
    private static async Task StepUntilAsync(Func<bool> done, HashSet<string> seen, params ILogConsumer[] members)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"the group did not get there in 20 s: {string.Join(" / ", members.Select(m => string.Join(",", m.Assignment)))}, {seen.Count} seen");
            foreach (var batch in await Task.WhenAll(members.Select(m => ProcessOneBatchAsync(m, seen))))
            {
                foreach (var value in batch)
                {
                    seen.Add(value);
                }
            }
        }
    }

    private static async Task<List<string>> ProcessOneBatchAsync(ILogConsumer member, HashSet<string> seen)
    {
        var records = await member.PollAsync(50, TimeSpan.FromMilliseconds(100), Ct);
        if (records.Count == 0)
        {
            return [];
        }

        await using var unit = member.BeginUnitOfWork();
        unit.CommitOffsets(MockClusterLogTests.NextOffsets(records));
        await unit.CommitAsync(Ct);
        return records.Select(r => Encoding.UTF8.GetString(r.Value)).ToList();
    }
}
