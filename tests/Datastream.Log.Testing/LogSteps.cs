using System.Globalization;
using System.Text;
using Datastream.Pipelines.Log;

namespace Datastream.Log.Testing;

/// <summary>The steps the contract's tests are made of: numbered records, producing them, draining a consumer.</summary>
internal static class LogSteps
{
    /// <summary>Long enough for a Kafka group to form on a loaded machine; a passing test never waits for it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>How long a poll must stay empty to count as "nothing more to read".</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);

    /// <summary>
    /// Record i has key "{i}-key" (the first byte varies, so even a partitioner that looks at one byte spreads them)
    /// and value "{prefix}-{i}".
    /// </summary>
    public static List<OutgoingRecord> Numbered(string topic, int from, int count, string prefix = "v") =>
        Enumerable.Range(from, count).Select(i => new OutgoingRecord(topic, Bytes($"{i}-key"), Bytes($"{prefix}-{i}"))).ToList();

    /// <summary>The i of a value "{prefix}-{i}".</summary>
    public static int Number(LogRecord record)
    {
        var text = Text(record.Value);
        return int.Parse(text.AsSpan(text.LastIndexOf('-') + 1), CultureInfo.InvariantCulture);
    }

    public static async Task ProduceAsync(ILog log, IReadOnlyList<OutgoingRecord> records)
    {
        await using var producer = log.CreateProducer();
        await producer.ProduceAsync(records, Ct);
    }

    /// <summary>Polls until <paramref name="count"/> records arrived (or the patience ran out), checking every batch's size.</summary>
    public static async Task<List<LogRecord>> PollUntilAsync(ILogConsumer consumer, int count, int maxRecords = 500)
    {
        var records = new List<LogRecord>();
        var deadline = DateTime.UtcNow + Patience;
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            var batch = await consumer.PollAsync(maxRecords, TimeSpan.FromMilliseconds(100), Ct);
            Assert.InRange(batch.Count, 0, maxRecords);
            records.AddRange(batch);
        }

        Assert.True(records.Count >= count, $"expected {count} records within {Patience.TotalSeconds:F0} s, read {records.Count}");
        return records;
    }

    /// <summary>Reads whatever more there is until a poll stays empty for <see cref="Quiet"/>.</summary>
    public static async Task<List<LogRecord>> PollRestAsync(ILogConsumer consumer)
    {
        var records = new List<LogRecord>();
        while (true)
        {
            var batch = await consumer.PollAsync(500, Quiet, Ct);
            if (batch.Count == 0)
            {
                return records;
            }

            records.AddRange(batch);
        }
    }

    /// <summary>
    /// Polls (keeping what it reads) until the consumer owns <paramref name="partitions"/> partitions and stands at the
    /// end of each: from then on, whatever is appended is new to it.
    /// </summary>
    public static async Task<List<LogRecord>> CatchUpAsync(ILogConsumer consumer, int partitions)
    {
        var records = new List<LogRecord>();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            records.AddRange(await consumer.PollAsync(500, TimeSpan.FromMilliseconds(100), Ct));
            if (consumer.Assignment.Count != partitions)
            {
                continue;
            }

            var lags = await consumer.GetLagAsync(Ct);
            if (lags.Count == partitions && lags.All(l => l.Lag == 0))
            {
                return records;
            }
        }

        Assert.Fail($"the consumer was not assigned {partitions} partitions, or did not reach their ends, within {Patience.TotalSeconds:F0} s (has {consumer.Assignment.Count})");
        return records;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, naming what never happened otherwise.</summary>
    public static async Task EventuallyAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{what} did not happen within {Patience.TotalSeconds:F0} s");
            }

            await Task.Delay(100, Ct);
        }
    }

    /// <summary>The group's next offsets after these records: one past the last record of each partition.</summary>
    public static List<TopicPartitionOffset> NextOffsets(IEnumerable<LogRecord> records) => records
        .GroupBy(r => r.TopicPartition)
        .Select(g => new TopicPartitionOffset(g.Key.Topic, g.Key.Partition, g.Max(r => r.Offset) + 1))
        .ToList();

    /// <summary>What identifies a record read: where it is and what it holds.</summary>
    public static IEnumerable<string> Identities(IEnumerable<LogRecord> records) => records
        .Select(r => $"{r.Topic}[{r.Partition}]@{r.Offset} {Text(r.Key)}={Text(r.Value)}")
        .Order(StringComparer.Ordinal);
}
