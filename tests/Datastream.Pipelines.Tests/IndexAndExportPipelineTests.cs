using System.Text;
using System.Text.Json;
using Datastream.Core.Generation;
using Datastream.Core.Rides;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Producer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Pipelines.Tests;

/// <summary>DAG#2's delivery protocol against doubles: both sinks hold every ride once, whatever fails in between.</summary>
public sealed class IndexAndExportPipelineTests
{
    private static readonly TopicNames Topics = new();

    [Fact]
    public async Task EveryResult_IsIndexedOnce_AndInTheLakeOnce()
    {
        var (log, results) = await PricedRidesAsync(1200);
        var index = new InMemoryRideIndex();
        var lake = new InMemoryRideLake(rollRows: 500);
        var pipeline = Pipeline(log, index, lake);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(results, index.Rides.Keys.ToHashSet());
        AssertLakeHoldsEachOnce(lake, results);
        Assert.Equal(1200, pipeline.Progress.Indexed);
        Assert.Equal(1200, pipeline.Progress.LakeRows);
        Assert.Equal(1200, await CommittedAsync(log));
    }

    [Fact]
    public async Task IndexOutages_AreRetried_NothingLostNothingTwice()
    {
        var (log, results) = await PricedRidesAsync(1000);
        var index = new InMemoryRideIndex();
        index.Failures.Enqueue(new IOException("index unavailable"));
        index.Failures.Enqueue(new IOException("index unavailable"));
        var lake = new InMemoryRideLake(rollRows: 300);
        var pipeline = Pipeline(log, index, lake);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(results, index.Rides.Keys.ToHashSet());
        AssertLakeHoldsEachOnce(lake, results);
        Assert.Equal(2, pipeline.Progress.FailedBatches);
    }

    [Fact]
    public async Task ACrashBetweenLakeFlushAndCommit_LeavesNoDuplicateFiles()
    {
        var (log, results) = await PricedRidesAsync(1000);
        var index = new InMemoryRideIndex();
        // A lake that rolls every 300 rows; the second commit fails after its flush made files visible.
        var lake = new InMemoryRideLake(rollRows: 300);
        log.CommitFailures.Enqueue(null);
        log.CommitFailures.Enqueue(new PartitionsLostException([new TopicPartition(Topics.Result, 0)], "lease expired"));
        var pipeline = Pipeline(log, index, lake, batchSize: 70);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        AssertLakeHoldsEachOnce(lake, results);
        Assert.Equal(results, index.Rides.Keys.ToHashSet());
        Assert.Equal(1000, await CommittedAsync(log));
    }

    [Fact]
    public async Task DeadLetters_AreProducedOnce_WithTheirOffsets_WhateverFailsBetweenBatchAndCommit()
    {
        var (log, results) = await PricedRidesAsync(600);
        await using (var producer = log.CreateProducer())
        {
            var bad = Enumerable.Range(0, 40).Select(i => new OutgoingRecord(Topics.Result, default, Encoding.UTF8.GetBytes($"{{\"ride_id\":\"bad-{i}\"}}"))).ToList();
            await producer.ProduceAsync(bad, TestContext.Current.CancellationToken);
        }

        var index = new InMemoryRideIndex();
        index.Refuse[results.First()] = "mapper_parsing_exception";
        // The index fails after dead letters were held, a commit is fenced, another fails outright: each time the held
        // dead letters were produced before (at least once), they would now be twice in rides_dlq.
        index.Failures.Enqueue(new IOException("index unavailable"));
        log.CommitFailures.Enqueue(new PartitionsLostException([new TopicPartition(Topics.Result, 0)], "lease expired"));
        log.CommitFailures.Enqueue(new IOException("database is locked"));
        var lake = new InMemoryRideLake(rollRows: 150);
        var pipeline = Pipeline(log, index, lake, batchSize: 64);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        var letters = log.Records(Topics.Dlq).Select(r => Core.Dlq.DeadLetter.Parse(r.Value)).ToList();
        Assert.Equal(41, letters.Count);
        Assert.Equal(41, letters.Select(l => (l.Source.Partition, l.Source.Offset)).Distinct().Count());
        Assert.Single(letters, l => l.Kind == Core.Dlq.RejectionKind.SinkRejected);
        AssertLakeHoldsEachOnce(lake, results);
        Assert.Equal(640, await CommittedAsync(log));
        Assert.Equal(3, pipeline.Progress.FailedBatches);
    }

    [Fact]
    public async Task RefusedRides_GoToTheDlqAsSinkRejected_WithTheReason()
    {
        var (log, results) = await PricedRidesAsync(300);
        var index = new InMemoryRideIndex();
        var refused = results.Take(3).ToList();
        refused.ForEach(id => index.Refuse[id] = "mapper_parsing_exception: failed to parse field [price_total]");
        var lake = new InMemoryRideLake(rollRows: 1000);
        var pipeline = Pipeline(log, index, lake);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        var letters = log.Records(Topics.Dlq).Select(r => Core.Dlq.DeadLetter.Parse(r.Value)).ToList();
        Assert.Equal(3, letters.Count);
        Assert.All(letters, l => Assert.Equal(Core.Dlq.RejectionKind.SinkRejected, l.Kind));
        Assert.All(letters, l => Assert.Contains("mapper_parsing_exception", l.Message));
        Assert.All(letters, l => Assert.Equal(IndexAndExportPipeline.Name, l.Pipeline));
        Assert.Equal(refused.ToHashSet(), letters.Select(l => JsonDocument.Parse(l.Payload).RootElement.GetProperty("ride_id").GetGuid()).ToHashSet());
        Assert.Equal(297, index.Rides.Count);
        AssertLakeHoldsEachOnce(lake, results);
    }

    [Fact]
    public async Task ResultsThatAreNotResults_GoToTheDlq()
    {
        var (log, results) = await PricedRidesAsync(10);
        await using (var producer = log.CreateProducer())
        {
            await producer.ProduceAsync([new OutgoingRecord(Topics.Result, default, Encoding.UTF8.GetBytes("{\"ride_id\":\"x\"}"))], TestContext.Current.CancellationToken);
        }

        var pipeline = Pipeline(log, new InMemoryRideIndex(), new InMemoryRideLake(100));
        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        var letter = Assert.Single(log.Records(Topics.Dlq).Select(r => Core.Dlq.DeadLetter.Parse(r.Value)));
        Assert.Equal(Core.Dlq.RejectionKind.Schema, letter.Kind);
        Assert.Equal("$.ride_id", letter.Path);
        Assert.Equal(10, pipeline.Progress.Indexed);
    }

    [Fact]
    public async Task HostileResults_AreDeadLetteredOneByOne_TheBatchGoesOn_NoneFails()
    {
        var (log, results) = await PricedRidesAsync(20);
        byte[][] hostile =
        [
            "{\"\\udc00\":0}"u8.ToArray(),
            "{\"ride_id\":\"x\"} trailing"u8.ToArray(),
            [0xEF, 0xBB, 0xBF, .. "{}"u8.ToArray()],
            [(byte)'{', 0xED, 0xA0, 0x80, (byte)'}'],
            Encoding.UTF8.GetBytes(new string('[', 10_000)),
            Encoding.UTF8.GetBytes("{\"price_total\":" + new string('9', 400) + "}"),
            Encoding.UTF8.GetBytes("{\"note\":\"" + new string('\u0001', 200_000) + "\"}"),
        ];
        await using (var producer = log.CreateProducer())
        {
            await producer.ProduceAsync(hostile.Select(h => new OutgoingRecord(Topics.Result, new byte[1000], h)).ToList(), TestContext.Current.CancellationToken);
        }

        var index = new InMemoryRideIndex();
        var pipeline = Pipeline(log, index, new InMemoryRideLake(100), batchSize: 5);
        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        var letters = log.Records(Topics.Dlq);
        Assert.Equal(hostile.Length, letters.Count);
        Assert.All(letters, l => Assert.True(l.Value.Length <= Core.Dlq.DlqEnvelope.DefaultMaxBytes, $"{l.Value.Length} bytes"));
        Assert.All(letters, l => Assert.Empty(l.Key ?? []));
        Assert.Equal(Enumerable.Range(20, hostile.Length).Select(o => (long)o), letters.Select(l => Core.Dlq.DeadLetter.Parse(l.Value).Source.Offset).Order());
        Assert.Equal(results, index.Rides.Keys.ToHashSet());
        Assert.Equal(0, pipeline.Progress.FailedBatches);
        Assert.Equal(20 + hostile.Length, await CommittedAsync(log));
    }

    [Fact]
    public async Task AnExceptionInsideTransformJson_IsAnInternalDeadLetter_NotAFailedBatch()
    {
        var (log, _) = await PricedRidesAsync(30);
        var index = new InMemoryRideIndex();
        // No limits at all: TransformJSON throws on every record, as an unforeseen bug would.
        var settings = new IndexAndExportSettings { BatchSize = 10, Limits = null!, MinRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) };
        var pipeline = new IndexAndExportPipeline(log, index, new InMemoryRideLake(100), settings, new DatastreamMetrics(), NullLogger<IndexAndExportPipeline>.Instance);

        await pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);

        var letters = log.Records(Topics.Dlq).Select(r => Core.Dlq.DeadLetter.Parse(r.Value)).ToList();
        Assert.Equal(30, letters.Count);
        Assert.All(letters, l => Assert.Equal(Core.Dlq.RejectionKind.Internal, l.Kind));
        Assert.All(letters, l => Assert.StartsWith("System.ArgumentNullException: ", l.Message, StringComparison.Ordinal));
        Assert.Equal(0, pipeline.Progress.FailedBatches);
        Assert.Equal(30, await CommittedAsync(log));
    }

    [Fact]
    public async Task Pausing_MakesTheBufferedRowsVisibleAndCommitsThem_ThenHolds_UntilResumed()
    {
        var (log, results) = await PricedRidesAsync(1000);
        var index = new InMemoryRideIndex();
        // Rows would stay buffered until the end without the pause: the lake never rolls by size here.
        var lake = new InMemoryRideLake(rollRows: 1_000_000);
        // At most two batches handed to the index and not written yet (one upsert may write both): the pause comes
        // within a few batches of the 300th ride indexed, long before the end.
        var pipeline = Pipeline(log, index, lake, batchSize: 100, maxUnindexedRides: 100);
        bool paused = false;
        index.AfterUpsert = () =>
        {
            if (index.Rides.Count >= 300 && !paused)
            {
                paused = true;
                pipeline.Pause.Pause();
            }
        };

        var running = pipeline.RunAsync(() => true, TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync("index-and-export paused", () => pipeline.Progress.State == PipelineState.Paused, interval: TimeSpan.FromMilliseconds(10));

        long consumed = pipeline.Progress.Consumed;
        Assert.InRange(consumed, 300, 700);
        Assert.Equal(consumed, pipeline.Progress.LakeRows);
        Assert.Equal(0, lake.BufferedRows);
        Assert.Equal(consumed, await CommittedAsync(log));
        Assert.False(running.IsCompleted);

        Assert.True(pipeline.Pause.Resume());
        await running;

        Assert.Equal(results, index.Rides.Keys.ToHashSet());
        AssertLakeHoldsEachOnce(lake, results);
        Assert.Equal(1000, await CommittedAsync(log));
    }

    private static IndexAndExportPipeline Pipeline(InMemoryLog log, InMemoryRideIndex index, InMemoryRideLake lake, int batchSize = 100, long maxUnindexedRides = 50_000) => new(
        log, index, lake,
        new IndexAndExportSettings { BatchSize = batchSize, MaxUnindexedRides = maxUnindexedRides, MinRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) },
        new DatastreamMetrics(),
        NullLogger<IndexAndExportPipeline>.Instance);

    private static void AssertLakeHoldsEachOnce(InMemoryRideLake lake, HashSet<Guid> expected)
    {
        var ids = lake.Files.Values.SelectMany(f => f).Select(r => r.RideId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected, ids.ToHashSet());
        foreach (var (key, rows) in lake.Files)
        {
            Assert.All(rows, r => Assert.Equal(key.Hour, new DateTime(r.TsUtc.Year, r.TsUtc.Month, r.TsUtc.Day, r.TsUtc.Hour, 0, 0, DateTimeKind.Utc)));
        }
    }

    private static async Task<long> CommittedAsync(InMemoryLog log)
    {
        var description = await log.DescribeTopicAsync(Topics.Result);
        return description!.Partitions.Sum(p => p.CommittedOffsets.GetValueOrDefault("index-and-export"));
    }

    /// <summary>Generated rides priced by compute-cost into rides_result; returns their ride ids.</summary>
    private static async Task<(InMemoryLog Log, HashSet<Guid> Results)> PricedRidesAsync(int count)
    {
        var log = new InMemoryLog();
        foreach (string topic in new[] { Topics.Raw, Topics.Result, Topics.Dlq })
        {
            await log.CreateTopicAsync(new TopicSpec(topic));
        }

        var random = new Random(5);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions());
        await new RideProducer(log, Topics.Raw, NullLogger<RideProducer>.Instance)
            .RunAsync(new GeneratedRideSource(generator), new ProduceLimits(count, null, 0), CancellationToken.None);
        await new ComputeCostPipeline(log, new ComputeCostSettings(), new DatastreamMetrics(), NullLogger<ComputeCostPipeline>.Instance)
            .RunAsync(() => true, CancellationToken.None);
        var results = log.Records(Topics.Result).Select(r => JsonDocument.Parse(r.Value).RootElement.GetProperty("ride_id").GetGuid()).ToHashSet();
        Assert.Equal(count, results.Count);
        return (log, results);
    }
}
