using Datastream.Pipelines.Log;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

/// <summary>A producer process and a consumer process sharing one data directory, both ways round.</summary>
public sealed class MultiProcessTests
{
    private const int Count = 20_000;

    [Fact]
    public async Task Records_produced_by_another_process_are_consumed_while_it_runs()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(new EmbeddedLogOptions(dir.Path));
        await log.CreateTopicAsync(new TopicSpec("t", 2), Ct);
        using var producer = TestProcess.Start("produce", dir.Path, "t", Count.ToString(), "500");

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        var seen = new HashSet<string>();
        var lastOffset = new Dictionary<int, long> { [0] = -1, [1] = -1 };
        var emptyPolls = 0;
        while (seen.Count < Count)
        {
            var records = await consumer.PollAsync(1000, TimeSpan.FromMilliseconds(200), Ct);
            emptyPolls = records.Count == 0 ? emptyPolls + 1 : 0;
            Assert.True(emptyPolls < 150, $"no records for a while; got {seen.Count} of {Count}");
            foreach (var record in records)
            {
                Assert.True(seen.Add(Text(record.Value)), $"duplicate {Text(record.Value)}");
                Assert.Equal(lastOffset[record.Partition] + 1, record.Offset);
                lastOffset[record.Partition] = record.Offset;
            }

            if (records.Count > 0)
            {
                await consumer.CommitAsync(NextOffsets(records), Ct);
            }
        }

        Assert.Equal(Count.ToString(), await producer.CompleteAsync());
        Assert.Equal(Count, (await log.DescribeTopicAsync("t", Ct))!.RecordCount);
    }

    [Fact]
    public async Task Another_process_consumes_exactly_once_what_this_one_produces()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(new EmbeddedLogOptions(dir.Path));
        await log.CreateTopicAsync(new TopicSpec("t", 2), Ct);
        using var consumer = TestProcess.Start("consume", dir.Path, "t", "g", Count.ToString());

        for (var from = 0; from < Count; from += 1000)
        {
            await ProduceAsync(log, "t", from, 1000);
        }

        Assert.Equal(Count.ToString(), await consumer.CompleteAsync());
        var description = await log.DescribeTopicAsync("t", Ct);
        Assert.All(description!.Partitions, p => Assert.Equal(p.EndOffset, p.CommittedOffsets["g"]));
    }
}
