using Datastream.Pipelines.Log;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

public sealed class UnitOfWorkTests
{
    [Fact]
    public async Task Outputs_and_offsets_become_visible_together_or_not_at_all()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("in"), Ct);
        await log.CreateTopicAsync(new TopicSpec("out", 2), Ct);
        await ProduceAsync(log, "in", 0, 5);
        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["in"]) { Transactional = true });
        var records = await consumer.PollAsync(5, TimeSpan.Zero, Ct);

        await using (var aborted = consumer.BeginUnitOfWork())
        {
            foreach (var record in records)
            {
                aborted.Append("out", record.Key, record.Value);
            }

            aborted.CommitOffsets(NextOffsets(records));
        }

        var afterAbort = await log.DescribeTopicAsync("out", Ct);
        Assert.Equal(0, afterAbort!.RecordCount);
        Assert.Empty((await log.DescribeTopicAsync("in", Ct))!.Partitions[0].CommittedOffsets);

        await consumer.RewindToCommittedAsync(Ct);
        var again = await consumer.PollAsync(5, TimeSpan.Zero, Ct);
        Assert.Equal(records.Select(r => r.Offset), again.Select(r => r.Offset));

        await using (var committed = consumer.BeginUnitOfWork())
        {
            foreach (var record in again)
            {
                committed.Append("out", record.Key, record.Value);
            }

            committed.CommitOffsets(NextOffsets(again));
            await committed.CommitAsync(Ct);
        }

        Assert.Equal(5, (await log.DescribeTopicAsync("out", Ct))!.RecordCount);
        Assert.Equal(5, (await log.DescribeTopicAsync("in", Ct))!.Partitions[0].CommittedOffsets["g"]);
    }

    [Fact]
    public async Task Only_one_unit_of_work_is_open_at_a_time()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("in"), Ct);
        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["in"]) { Transactional = true });
        await using (consumer.BeginUnitOfWork())
        {
            Assert.Throws<InvalidOperationException>(() => consumer.BeginUnitOfWork());
        }

        await using var next = consumer.BeginUnitOfWork();
    }

    [Fact]
    public async Task A_member_whose_lease_was_taken_over_is_fenced()
    {
        using var dir = new TemporaryDirectory();
        var clock = new ManualClock();
        await using var log = new SqliteLog(Options(dir, clock) with { LeaseDuration = TimeSpan.FromSeconds(1) });
        await log.CreateTopicAsync(new TopicSpec("in"), Ct);
        await log.CreateTopicAsync(new TopicSpec("out"), Ct);
        await ProduceAsync(log, "in", 0, 3);

        await using var stalled = log.CreateConsumer(new ConsumerSpec("g", ["in"]) { Transactional = true, MemberId = "A" });
        var seenByA = await stalled.PollAsync(10, TimeSpan.Zero, Ct);
        Assert.Equal(3, seenByA.Count);

        // A stalls past its lease; B joins and takes the partition over.
        clock.Advance(TimeSpan.FromSeconds(2));
        await using var successor = log.CreateConsumer(new ConsumerSpec("g", ["in"]) { Transactional = true, MemberId = "B" });
        var seenByB = await successor.PollAsync(10, TimeSpan.Zero, Ct);
        Assert.Equal(3, seenByB.Count);
        Assert.Equal([new TopicPartition("in", 0)], successor.Assignment);

        await using (var late = stalled.BeginUnitOfWork())
        {
            late.Append("out", default, Bytes("from A"));
            late.CommitOffsets(NextOffsets(seenByA));
            var lost = await Assert.ThrowsAsync<PartitionsLostException>(async () => await late.CommitAsync(Ct));
            Assert.Equal([new TopicPartition("in", 0)], lost.Partitions);
        }

        Assert.Empty(stalled.Assignment);
        Assert.Equal(0, (await log.DescribeTopicAsync("out", Ct))!.RecordCount);
        Assert.Empty((await log.DescribeTopicAsync("in", Ct))!.Partitions[0].CommittedOffsets);
        await Assert.ThrowsAsync<PartitionsLostException>(async () => await stalled.CommitAsync(NextOffsets(seenByA), Ct));

        await using (var current = successor.BeginUnitOfWork())
        {
            current.Append("out", default, Bytes("from B"));
            current.CommitOffsets(NextOffsets(seenByB));
            await current.CommitAsync(Ct);
        }

        var output = await log.DescribeTopicAsync("out", Ct);
        Assert.Equal(1, output!.RecordCount);
        Assert.Equal(3, (await log.DescribeTopicAsync("in", Ct))!.Partitions[0].CommittedOffsets["g"]);
    }
}
