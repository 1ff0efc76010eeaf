using System.Text;
using Datastream.Pipelines.Log;

namespace Datastream.Embedded.Tests;

/// <summary>Shared steps of the log tests: open a log on a temp directory, produce numbered records, drain a consumer.</summary>
internal static class LogScenario
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static EmbeddedLogOptions Options(TemporaryDirectory dir, ManualClock? clock = null) =>
        new(dir.Path)
        {
            Clock = clock ?? (TimeProvider)TimeProvider.System,
            LeaseRenewInterval = TimeSpan.Zero,
        };

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public static async Task ProduceAsync(ILog log, string topic, int from, int count, bool keyed = true)
    {
        await using var producer = log.CreateProducer();
        var records = Enumerable.Range(from, count)
            .Select(i => new OutgoingRecord(topic, keyed ? Bytes($"k{i}") : ReadOnlyMemory<byte>.Empty, Bytes($"v{i}")))
            .ToList();
        await producer.ProduceAsync(records, Ct);
    }

    /// <summary>Polls until <paramref name="expected"/> records arrived or polls stop returning anything.</summary>
    public static async Task<List<LogRecord>> DrainAsync(ILogConsumer consumer, int expected, int maxPerPoll = 1000)
    {
        var all = new List<LogRecord>();
        var emptyPolls = 0;
        while (all.Count < expected && emptyPolls < 3)
        {
            var records = await consumer.PollAsync(maxPerPoll, TimeSpan.FromMilliseconds(20), Ct);
            emptyPolls = records.Count == 0 ? emptyPolls + 1 : 0;
            all.AddRange(records);
        }

        return all;
    }

    public static List<TopicPartitionOffset> NextOffsets(IEnumerable<LogRecord> records) =>
        records.GroupBy(r => r.TopicPartition)
            .Select(g => new TopicPartitionOffset(g.Key.Topic, g.Key.Partition, g.Max(r => r.Offset) + 1))
            .ToList();
}
