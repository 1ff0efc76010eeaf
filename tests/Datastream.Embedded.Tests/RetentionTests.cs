using Datastream.Pipelines.Log;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

public sealed class RetentionTests
{
    [Fact]
    public async Task Records_older_than_the_retention_age_are_deleted()
    {
        using var dir = new TemporaryDirectory();
        var clock = new ManualClock();
        await using var log = new SqliteLog(Options(dir, clock));
        await log.CreateTopicAsync(new TopicSpec("t") { RetentionAge = TimeSpan.FromHours(1) }, Ct);
        await ProduceAsync(log, "t", 0, 3);
        clock.Advance(TimeSpan.FromHours(2));
        await ProduceAsync(log, "t", 3, 2);

        Assert.Equal(3, await log.EnforceRetentionAsync(Ct));

        var partition = (await log.DescribeTopicAsync("t", Ct))!.Partitions[0];
        Assert.Equal((3L, 5L), (partition.StartOffset, partition.EndOffset));
        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        Assert.Equal([3L, 4L], (await DrainAsync(consumer, 2)).Select(r => r.Offset));

        // Offsets are never reused after deletion.
        await ProduceAsync(log, "t", 5, 1);
        Assert.Equal(6, (await log.DescribeTopicAsync("t", Ct))!.Partitions[0].EndOffset);
    }

    [Fact]
    public async Task Partitions_above_the_retention_size_lose_their_oldest_records()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t") { RetentionAge = null, RetentionBytes = 450 }, Ct);
        await using (var producer = log.CreateProducer())
        {
            // One record per call: one batch each, so retention can drop them one by one.
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync([new OutgoingRecord("t", default, new byte[100])], Ct);
            }
        }

        Assert.Equal(6, await log.EnforceRetentionAsync(Ct));
        var partition = (await log.DescribeTopicAsync("t", Ct))!.Partitions[0];
        Assert.Equal((6L, 10L), (partition.StartOffset, partition.EndOffset));
        Assert.Equal(0, await log.EnforceRetentionAsync(Ct));
    }

    [Fact]
    public async Task A_consumer_behind_the_start_offset_continues_from_it()
    {
        using var dir = new TemporaryDirectory();
        var clock = new ManualClock();
        await using var log = new SqliteLog(Options(dir, clock));
        await log.CreateTopicAsync(new TopicSpec("t") { RetentionAge = TimeSpan.FromMinutes(1) }, Ct);
        await ProduceAsync(log, "t", 0, 4);
        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var first = await consumer.PollAsync(1, TimeSpan.Zero, Ct);
        await consumer.CommitAsync(NextOffsets(first), Ct);

        clock.Advance(TimeSpan.FromMinutes(5));
        await ProduceAsync(log, "t", 4, 2);
        await log.EnforceRetentionAsync(Ct);

        Assert.Equal([4L, 5L], (await DrainAsync(consumer, 2)).Select(r => r.Offset));
        await consumer.RewindToCommittedAsync(Ct);
        Assert.Equal([4L, 5L], (await DrainAsync(consumer, 2)).Select(r => r.Offset));
    }
}
