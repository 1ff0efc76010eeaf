using Datastream.Embedded;
using Datastream.Pipelines.Log;

namespace Datastream.Outages.Testing;

/// <summary>Reads a whole topic of the embedded log back, for tests that check every output once.</summary>
public static class TopicRecords
{
    /// <summary>Every record of a topic, read by a consumer group of its own (it commits nothing).</summary>
    public static async Task<List<LogRecord>> ReadAllAsync(SqliteLog log, string topic, CancellationToken ct)
    {
        long end = (await log.DescribeTopicAsync(topic, ct))!.Partitions.Sum(p => p.EndOffset);
        await using var consumer = log.CreateConsumer(new ConsumerSpec("reader-" + Guid.NewGuid().ToString("N"), [topic]));
        var records = new List<LogRecord>();
        for (int emptyPolls = 0; records.Count < end && emptyPolls < 25;)
        {
            var batch = await consumer.PollAsync(10_000, TimeSpan.FromMilliseconds(200), ct);
            records.AddRange(batch);
            emptyPolls = batch.Count == 0 ? emptyPolls + 1 : 0;
        }

        Assert.Equal(end, records.Count);
        return records;
    }
}
