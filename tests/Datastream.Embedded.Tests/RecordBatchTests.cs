using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

/// <summary>Records are stored as one row per appended batch; reads, rewinds and retention must not show it.</summary>
public sealed class RecordBatchTests
{
    [Fact]
    public async Task Offsets_are_dense_across_produce_calls_and_units_of_work()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("in"), Ct);
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await ProduceAsync(log, "in", 0, 4);
        await ProduceAsync(log, "t", 0, 3);
        await ProduceAsync(log, "t", 3, 5);

        await using (var consumer = log.CreateConsumer(new ConsumerSpec("g", ["in"]) { Transactional = true }))
        {
            var inputs = await DrainAsync(consumer, 4);
            await using var unit = consumer.BeginUnitOfWork();
            foreach (var (record, i) in inputs.Select((r, i) => (r, i)))
            {
                unit.Append("t", default, Bytes($"v{8 + i}"));
            }

            unit.CommitOffsets(NextOffsets(inputs));
            await unit.CommitAsync(Ct);
        }

        await ProduceAsync(log, "t", 12, 2);

        await using var reader = log.CreateConsumer(new ConsumerSpec("r", ["t"]));
        var records = await DrainAsync(reader, 14, maxPerPoll: 3);
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, 14).Select(i => $"v{i}"), records.Select(r => Text(r.Value)));
        Assert.Equal(14, (await log.DescribeTopicAsync("t", Ct))!.Partitions[0].EndOffset);
    }

    [Fact]
    public async Task A_call_larger_than_a_batch_row_is_split_and_stays_dense()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        var count = 20_500; // above two rows of the 10,000-record bound
        await ProduceAsync(log, "t", 0, count, keyed: false);

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var records = await DrainAsync(consumer, count, maxPerPoll: 7_000);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal($"v{count - 1}", Text(records[^1].Value));
    }

    [Fact]
    public async Task Reading_starts_at_a_committed_offset_in_the_middle_of_a_batch()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await ProduceAsync(log, "t", 0, 10);
        await using (var first = log.CreateConsumer(new ConsumerSpec("g", ["t"])))
        {
            await first.PollAsync(1, TimeSpan.Zero, Ct);
            await first.CommitAsync([new TopicPartitionOffset("t", 0, 4)], Ct);
        }

        await using var resumed = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var records = await DrainAsync(resumed, 6);
        Assert.Equal([4L, 5L, 6L, 7L, 8L, 9L], records.Select(r => r.Offset));
        Assert.Equal(["v4", "v5", "v6", "v7", "v8", "v9"], records.Select(r => Text(r.Value)));
    }

    [Fact]
    public async Task A_poll_smaller_than_a_batch_continues_exactly_where_it_stopped()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await ProduceAsync(log, "t", 0, 50);
        await ProduceAsync(log, "t", 50, 50);

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var polls = new List<IReadOnlyList<LogRecord>>();
        for (var i = 0; i < 15; i++)
        {
            polls.Add(await consumer.PollAsync(7, TimeSpan.Zero, Ct));
        }

        Assert.All(polls.Take(14), p => Assert.Equal(7, p.Count));
        Assert.Equal(2, polls[14].Count);
        var records = polls.SelectMany(p => p).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"v{i}"), records.Select(r => Text(r.Value)));
    }

    [Fact]
    public async Task Rewinding_into_the_middle_of_a_batch_reads_again_from_the_committed_offset()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await ProduceAsync(log, "t", 0, 20);

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]) { Transactional = true });
        var committed = await consumer.PollAsync(5, TimeSpan.Zero, Ct);
        await consumer.CommitAsync(NextOffsets(committed), Ct);
        var uncommitted = await consumer.PollAsync(6, TimeSpan.Zero, Ct);
        Assert.Equal(5, uncommitted[0].Offset);

        await consumer.RewindToCommittedAsync(Ct);
        var again = await consumer.PollAsync(6, TimeSpan.Zero, Ct);
        Assert.Equal(uncommitted.Select(r => r.Offset), again.Select(r => r.Offset));
        Assert.Equal(uncommitted.Select(r => Text(r.Value)), again.Select(r => Text(r.Value)));
        Assert.Equal(Enumerable.Range(11, 9).Select(i => (long)i), (await DrainAsync(consumer, 9)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Retention_by_age_deletes_whole_batches_and_starts_at_a_batch_boundary()
    {
        using var dir = new TemporaryDirectory();
        var clock = new ManualClock();
        await using var log = new SqliteLog(Options(dir, clock));
        await log.CreateTopicAsync(new TopicSpec("t") { RetentionAge = TimeSpan.FromHours(1) }, Ct);
        await ProduceAsync(log, "t", 0, 3);
        clock.Advance(TimeSpan.FromMinutes(40));
        await ProduceAsync(log, "t", 3, 4);
        clock.Advance(TimeSpan.FromMinutes(40));
        await ProduceAsync(log, "t", 7, 2);

        // Only the first batch is older than an hour; the second (40 min) is kept whole.
        Assert.Equal(3, await log.EnforceRetentionAsync(Ct));
        var partition = (await log.DescribeTopicAsync("t", Ct))!.Partitions[0];
        Assert.Equal((3L, 9L), (partition.StartOffset, partition.EndOffset));

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(6, await log.EnforceRetentionAsync(Ct));
        partition = (await log.DescribeTopicAsync("t", Ct))!.Partitions[0];
        Assert.Equal((9L, 9L), (partition.StartOffset, partition.EndOffset));

        await ProduceAsync(log, "t", 9, 1);
        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        Assert.Equal([9L], (await DrainAsync(consumer, 1)).Select(r => r.Offset));
    }

    [Fact]
    public async Task Retention_by_size_deletes_whole_batches_and_starts_at_a_batch_boundary()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir));
        await log.CreateTopicAsync(new TopicSpec("t") { RetentionAge = null, RetentionBytes = 500 }, Ct);
        await using (var producer = log.CreateProducer())
        {
            for (var batch = 0; batch < 3; batch++)
            {
                await producer.ProduceAsync(Enumerable.Range(0, 4).Select(_ => new OutgoingRecord("t", default, new byte[100])).ToList(), Ct);
            }
        }

        // 1,200 bytes in batches of 400: dropping the first leaves 800 > 500, dropping the second leaves 400.
        Assert.Equal(8, await log.EnforceRetentionAsync(Ct));
        var partition = (await log.DescribeTopicAsync("t", Ct))!.Partitions[0];
        Assert.Equal((8L, 12L), (partition.StartOffset, partition.EndOffset));
        Assert.Equal(0, await log.EnforceRetentionAsync(Ct));
    }

    [Fact]
    public async Task Keys_values_and_timestamps_round_trip()
    {
        using var dir = new TemporaryDirectory();
        var clock = new ManualClock();
        await using var log = new SqliteLog(Options(dir, clock));
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        var large = new byte[1_000_000]; // under Log:MaxRecordBytes (1,048,076) with its key
        new Random(7).NextBytes(large);
        var firstTime = clock.GetUtcNow().UtcDateTime;
        await using (var producer = log.CreateProducer())
        {
            await producer.ProduceAsync(
            [
                new OutgoingRecord("t", default, Bytes("no key")),
                new OutgoingRecord("t", Bytes("k"), ReadOnlyMemory<byte>.Empty),
                new OutgoingRecord("t", Bytes("big"), large),
            ], Ct);
            clock.Advance(TimeSpan.FromSeconds(1.5));
            await producer.ProduceAsync([new OutgoingRecord("t", Bytes("later"), Bytes("v"))], Ct);
        }

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var records = await DrainAsync(consumer, 4, maxPerPoll: 2);

        Assert.Equal(4, records.Count);
        Assert.Null(records[0].Key);
        Assert.Equal("no key", Text(records[0].Value));
        Assert.Equal("k", Text(records[1].Key!));
        Assert.Empty(records[1].Value);
        Assert.Equal("big", Text(records[2].Key!));
        Assert.Equal(large, records[2].Value);
        Assert.Equal("later", Text(records[3].Key!));
        Assert.Equal([firstTime, firstTime, firstTime, firstTime.AddSeconds(1.5)], records.Select(r => r.TimestampUtc));
        Assert.All(records, r => Assert.Equal(DateTimeKind.Utc, r.TimestampUtc.Kind));

        // Each record owns its buffers: changing one returned value leaves what is read again untouched.
        records[2].Value[0] ^= 0xff;
        await consumer.RewindToCommittedAsync(Ct);
        var again = await DrainAsync(consumer, 4);
        Assert.Equal(large, again[2].Value);
    }

    [Fact]
    public async Task A_database_of_the_old_row_per_record_layout_is_refused()
    {
        using var dir = new TemporaryDirectory();
        var options = Options(dir);
        await using (var connection = new SqliteConnection($"Data Source={options.DatabasePath};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE); CREATE TABLE r1_0(off INTEGER PRIMARY KEY, ts, key, value);";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidDataException>(() => new SqliteLog(options));
        Assert.Contains(options.DatabasePath, error.Message);
        Assert.Contains("delete", error.Message);
    }
}
