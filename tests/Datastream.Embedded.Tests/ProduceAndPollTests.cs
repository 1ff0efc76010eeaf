using Datastream.Pipelines.Log;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

public sealed class ProduceAndPollTests
{
    [Fact]
    public async Task Offsets_start_at_zero_and_are_dense_per_partition()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t", 3), Ct);
        await ProduceAsync(log, "t", 0, 60);
        await ProduceAsync(log, "t", 60, 30, keyed: false);

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var records = await DrainAsync(consumer, 90, maxPerPoll: 7);

        Assert.Equal(90, records.Count);
        var description = await log.DescribeTopicAsync("t", Ct);
        foreach (var partition in records.GroupBy(r => r.Partition))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r => r.Offset));
            Assert.Equal(partition.Count(), description!.Partitions[partition.Key].EndOffset);
        }

        // Unkeyed records are spread round-robin: 10 per partition.
        Assert.All(records.Where(r => r.Key is null).GroupBy(r => r.Partition), g => Assert.Equal(10, g.Count()));
    }

    [Fact]
    public async Task A_key_always_maps_to_the_same_partition()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t", 4), Ct);
        for (var round = 0; round < 3; round++)
        {
            await ProduceAsync(log, "t", 0, 20);
        }

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var records = await DrainAsync(consumer, 60);

        Assert.Equal(60, records.Count);
        foreach (var byKey in records.GroupBy(r => Text(r.Key!)))
        {
            Assert.Equal(3, byKey.Count());
            Assert.Single(byKey.Select(r => r.Partition).Distinct());
            Assert.Equal(KafkaPartitioner.PartitionOf(byKey.First().Key, 4), byKey.First().Partition);
        }
    }

    [Fact]
    public async Task Reads_start_from_the_committed_offset_or_the_start_policy()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await ProduceAsync(log, "t", 0, 10);

        await using (var first = log.CreateConsumer(new ConsumerSpec("g", ["t"])))
        {
            await first.PollAsync(1, TimeSpan.Zero, Ct);
            await first.CommitAsync([new TopicPartitionOffset("t", 0, 7)], Ct);
        }

        await using var resumed = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var records = await DrainAsync(resumed, 3);
        Assert.Equal([7L, 8L, 9L], records.Select(r => r.Offset));
        Assert.Equal(["v7", "v8", "v9"], records.Select(r => Text(r.Value)));

        await using var latest = log.CreateConsumer(new ConsumerSpec("other", ["t"]) { WhenNoCommittedOffset = StartPosition.Latest });
        Assert.Empty(await latest.PollAsync(10, TimeSpan.FromMilliseconds(10), Ct));
        await ProduceAsync(log, "t", 10, 1);
        Assert.Equal([10L], (await DrainAsync(latest, 1)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Committed_offsets_survive_a_restart()
    {
        using var dir = new TemporaryDirectory();
        await using (var log = new SqliteLog(Options(dir)))
        {
            await log.CreateTopicAsync(new TopicSpec("t", 2), Ct);
            await ProduceAsync(log, "t", 0, 40);
            await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
            var firstHalf = await consumer.PollAsync(20, TimeSpan.Zero, Ct);
            Assert.Equal(20, firstHalf.Count);
            await consumer.CommitAsync(NextOffsets(firstHalf), Ct);
        }

        await using (var reopened = new SqliteLog(Options(dir)))
        {
            await using var consumer = reopened.CreateConsumer(new ConsumerSpec("g", ["t"]));
            var rest = await DrainAsync(consumer, 20);
            Assert.Equal(20, rest.Count);
            var description = await reopened.DescribeTopicAsync("t", Ct);
            Assert.Equal(40, description!.RecordCount);

            // Together the two runs saw every record exactly once.
            var lag = await consumer.GetLagAsync(Ct);
            Assert.All(lag, l => Assert.Equal(0, l.Lag));
            Assert.Equal(2, lag.Count);
        }
    }

    [Fact]
    public async Task Lag_is_end_offset_minus_position()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await ProduceAsync(log, "t", 0, 10);
        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        await consumer.PollAsync(4, TimeSpan.Zero, Ct);

        var lag = Assert.Single(await consumer.GetLagAsync(Ct));
        Assert.Equal(new PartitionLag("t", 0, 4, 10), lag);
        Assert.Equal(6, lag.Lag);
    }

    [Fact]
    public async Task Large_produce_calls_commit_as_one_batch()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t", 2), Ct);
        await ProduceAsync(log, "t", 0, 100_000, keyed: false);

        var description = await log.DescribeTopicAsync("t", Ct);
        Assert.Equal([50_000L, 50_000L], description!.Partitions.Select(p => p.EndOffset));
    }

    [Fact]
    public async Task A_waiting_poll_returns_empty_or_honours_cancellation()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));

        Assert.Empty(await consumer.PollAsync(10, TimeSpan.FromMilliseconds(30), Ct));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await consumer.PollAsync(10, TimeSpan.FromSeconds(30), cancelled.Token));
    }
}
