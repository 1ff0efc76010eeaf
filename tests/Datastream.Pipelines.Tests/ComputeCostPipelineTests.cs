using System.Text;
using System.Text.Json;
using Datastream.Core.Generation;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Producer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Pipelines.Tests;

/// <summary>The pipeline's commit protocol against a log double: failed commits are redone, never half-applied or doubled.</summary>
public sealed class ComputeCostPipelineTests
{
    private static readonly TopicNames Topics = new();

    [Fact]
    public async Task EveryRecordEndsInResultOrDlq_Once()
    {
        var log = await LogWithRidesAsync(count: 1000, invalidRatio: 0.1);
        var pipeline = Pipeline(log, batchSize: 100);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        AssertEachRawRecordOnce(log, 1000);
        Assert.Equal(1000, pipeline.Progress.Consumed);
        Assert.Equal(log.Records(Topics.Dlq).Count, pipeline.Progress.Dlq);
        Assert.Equal(10, pipeline.Progress.Batches);
    }

    [Fact]
    public async Task FailedCommits_AreRetriedFromTheCommittedOffsets_WithoutLossOrDuplicates()
    {
        var log = await LogWithRidesAsync(count: 500, invalidRatio: 0.05);
        log.CommitFailures.Enqueue(null);
        log.CommitFailures.Enqueue(new IOException("disk I/O error"));
        log.CommitFailures.Enqueue(null);
        log.CommitFailures.Enqueue(new PartitionsLostException([new TopicPartition(Topics.Raw, 0)], "lease expired"));
        log.CommitFailures.Enqueue(new IOException("database is locked"));
        var pipeline = Pipeline(log, batchSize: 100);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        AssertEachRawRecordOnce(log, 500);
        Assert.Equal(3, pipeline.Progress.FailedBatches);
        Assert.Equal(5 + 3, log.CommitAttempts);
        Assert.Equal(500, pipeline.Progress.Consumed);
    }

    [Fact]
    public async Task AHostileRecord_IsOneDeadLetter_WithinTheCap_KeyedOnlyByAShortKey()
    {
        var log = await LogWithRidesAsync(count: 10, invalidRatio: 0);
        await using (var producer = log.CreateProducer())
        {
            await producer.ProduceAsync(
            [
                new OutgoingRecord(Topics.Raw, new byte[257], "{\"\\udc00\":0}"u8.ToArray()),
                new OutgoingRecord(Topics.Raw, "k"u8.ToArray(), Encoding.UTF8.GetBytes("{\"note\":\"" + new string('\u0002', 200_000) + "\"}")),
            ], TestContext.Current.CancellationToken);
        }

        var pipeline = new ComputeCostPipeline(log,
            new ComputeCostSettings { BatchSize = 5, DeadLetterMaxBytes = 100_000, Transform = new() { MaxMessageBytes = 300_000 } },
            new DatastreamMetrics(), NullLogger<ComputeCostPipeline>.Instance);
        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        AssertEachRawRecordOnce(log, 12);
        var letters = log.Records(Topics.Dlq);
        Assert.Equal(2, letters.Count);
        Assert.Empty(letters[0].Key ?? []);
        Assert.Equal("k"u8.ToArray(), letters[1].Key);
        Assert.All(letters, l => Assert.True(l.Value.Length <= 100_000, $"{l.Value.Length} bytes"));
        var truncated = Core.Dlq.DeadLetter.Parse(letters[1].Value);
        Assert.True(truncated.PayloadTruncated);
        Assert.Equal(Core.Dlq.RejectionKind.InvalidJson, truncated.Kind); // raw control bytes inside a string
        Assert.Equal(Core.Dlq.RejectionKind.Encoding, Core.Dlq.DeadLetter.Parse(letters[0].Value).Kind);
        Assert.Equal(0, pipeline.Progress.FailedBatches);
    }

    [Fact]
    public async Task StopRequest_FinishesTheBatchInHand()
    {
        var log = await LogWithRidesAsync(count: 300, invalidRatio: 0);
        var pipeline = Pipeline(log, batchSize: 100);
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        await pipeline.RunAsync(null, stop.Token);

        Assert.Equal(PipelineState.Stopped, pipeline.Progress.State);
        Assert.Equal(0, log.CommitAttempts);
        Assert.Empty(log.Records(Topics.Result));
    }

    [Fact]
    public async Task APausedPipeline_ConsumesNothing_UntilResumed_ThenDrainsEverything()
    {
        var log = await LogWithRidesAsync(count: 500, invalidRatio: 0.05);
        var pipeline = Pipeline(log, batchSize: 100);
        Assert.True(pipeline.Pause.Pause());
        Assert.False(pipeline.Pause.Pause());

        var running = pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync("compute-cost paused", () => pipeline.Progress.State == PipelineState.Paused, interval: TimeSpan.FromMilliseconds(10));
        // While paused it keeps its lag current, so a growing backlog stays visible.
        await Eventually.HoldsAsync("lag of 500 while paused", () => pipeline.Progress.Lag.Sum(l => l.Lag) == 500, interval: TimeSpan.FromMilliseconds(10));

        Assert.Equal(0, pipeline.Progress.Consumed);
        Assert.Empty(log.Records(Topics.Result));
        Assert.False(running.IsCompleted);

        Assert.True(pipeline.Pause.Resume());
        Assert.False(pipeline.Pause.Resume());
        await running;

        AssertEachRawRecordOnce(log, 500);
        Assert.Equal(PipelineState.Stopped, pipeline.Progress.State);
    }

    [Fact]
    public async Task StoppingAPausedPipeline_EndsIt()
    {
        var log = await LogWithRidesAsync(count: 100, invalidRatio: 0);
        var pipeline = Pipeline(log, batchSize: 100);
        pipeline.Pause.Pause();
        using var stop = new CancellationTokenSource();

        var running = pipeline.RunAsync(null, stop.Token);
        await Eventually.HoldsAsync("compute-cost paused", () => pipeline.Progress.State == PipelineState.Paused, interval: TimeSpan.FromMilliseconds(10));
        await stop.CancelAsync();
        await running;

        Assert.Equal(PipelineState.Stopped, pipeline.Progress.State);
        Assert.Equal(0, pipeline.Progress.Consumed);
    }

    private static ComputeCostPipeline Pipeline(InMemoryLog log, int batchSize) => new(
        log,
        new ComputeCostSettings { BatchSize = batchSize, MinRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) },
        new DatastreamMetrics(),
        NullLogger<ComputeCostPipeline>.Instance);

    private static async Task<InMemoryLog> LogWithRidesAsync(int count, double invalidRatio)
    {
        var log = new InMemoryLog();
        foreach (string topic in new[] { Topics.Raw, Topics.Result, Topics.Dlq })
        {
            await log.CreateTopicAsync(new TopicSpec(topic));
        }

        var random = new Random(17);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { InvalidRatio = invalidRatio });
        var producer = new RideProducer(log, Topics.Raw, NullLogger<RideProducer>.Instance);
        await producer.RunAsync(new GeneratedRideSource(generator), new ProduceLimits(count, null, 0), CancellationToken.None);
        Assert.Equal(count, log.Records(Topics.Raw).Count);
        return log;
    }

    private static void AssertEachRawRecordOnce(InMemoryLog log, int count)
    {
        var dlqOffsets = log.Records(Topics.Dlq)
            .Select(r => JsonDocument.Parse(r.Value).RootElement.GetProperty("source").GetProperty("offset").GetInt64()).ToList();
        var resultIds = log.Records(Topics.Result).Select(r => Encoding.UTF8.GetString(r.Key!)).ToList();
        Assert.Equal(dlqOffsets.Count, dlqOffsets.Distinct().Count());
        Assert.Equal(resultIds.Count, resultIds.Distinct().Count());
        Assert.Equal(count, dlqOffsets.Count + resultIds.Count);
        foreach (var raw in log.Records(Topics.Raw).Where(r => !dlqOffsets.Contains(r.Offset)))
        {
            string id = JsonDocument.Parse(raw.Value).RootElement.GetProperty("ride_id").GetString()!;
            Assert.Contains(id, resultIds);
        }
    }
}
