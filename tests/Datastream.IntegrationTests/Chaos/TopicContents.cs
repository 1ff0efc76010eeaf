using Datastream.Pipelines.Log;

namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// Every record of a topic with its partition and offset, read through the log port in a fresh consumer group (so it
/// works on either engine): done when this reader owns every partition and stands at each one's end.
/// </summary>
public static class TopicContents
{
    public static async Task<List<LogRecord>> ReadAllAsync(ILog log, string topic)
    {
        var description = await log.DescribeTopicAsync(topic) ?? throw new InvalidOperationException($"topic {topic} does not exist");
        var all = new List<LogRecord>();
        await using var consumer = log.CreateConsumer(new ConsumerSpec("chaos-audit-" + Guid.NewGuid().ToString("N"), [topic]));
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var batch = await consumer.PollAsync(50_000, TimeSpan.FromMilliseconds(200));
            all.AddRange(batch);
            if (batch.Count == 0 && consumer.Assignment.Count == description.Partitions.Count)
            {
                var lag = await consumer.GetLagAsync();
                if (lag.Count == description.Partitions.Count && lag.All(p => p.Lag == 0))
                {
                    return all;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reading {topic} did not reach its end within 5 minutes ({all.Count} records read)");
            }
        }
    }
}
