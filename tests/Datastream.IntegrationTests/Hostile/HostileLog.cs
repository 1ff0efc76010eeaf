using Datastream.Embedded;
using Datastream.Kafka;
using Datastream.Kafka.Testing;
using Datastream.Pipelines;
using Datastream.Pipelines.Log;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// One log the corpus runs through: a data dir, the CLI's environment for it, its topic names, and a client of the
/// test's own to write raw bytes (which `produce --from-file` cannot: records may hold newlines and invalid UTF-8)
/// and to read every record back with its partition and offset.
/// </summary>
internal sealed class HostileLog : IAsyncDisposable
{
    /// <summary>Bounds each CLI run, so a pipeline stuck on a record fails the test instead of hanging it.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private HostileLog(TemporaryDirectory directory, IReadOnlyDictionary<string, string> environment, TopicNames topics, ILog log)
    {
        Directory = directory;
        Environment = environment;
        Topics = topics;
        Log = log;
    }

    public TemporaryDirectory Directory { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public TopicNames Topics { get; }

    public ILog Log { get; }

    /// <summary>The embedded log, one partition per topic (the CLI's default): a record's neighbours are its offsets ± 1.</summary>
    public static async Task<HostileLog> EmbeddedAsync()
    {
        var directory = new TemporaryDirectory();
        var log = new SqliteLog(new EmbeddedLogOptions(directory.Path));
        var topics = new TopicNames();
        foreach (string topic in new[] { topics.Raw, topics.Result, topics.Dlq })
        {
            await log.CreateTopicAsync(new TopicSpec(topic, Partitions: 1), TestContext.Current.CancellationToken);
        }

        return new HostileLog(directory, new Dictionary<string, string>(), topics, log);
    }

    /// <summary>
    /// Fresh topics on the mock cluster: rides_raw has one partition (so neighbours stay neighbours), the others as
    /// given (six is the Kafka default).
    /// </summary>
    public static HostileLog Kafka(MockKafkaCluster cluster, string name, int resultPartitions)
    {
        var environment = MockClusterEnvironment.For(cluster, name, rawPartitions: 1, resultPartitions: resultPartitions, dlqPartitions: 6);
        var topics = new TopicNames(environment["RAW_TOPIC"], environment["RESULT_TOPIC"], environment["DLQ_TOPIC"]);
        return new HostileLog(new TemporaryDirectory(), environment, topics, new KafkaLog(cluster.Options()));
    }

    /// <summary>Appends the records' bytes, unchanged and without keys, in order.</summary>
    public async Task ProduceAsync(string topic, IEnumerable<HostileRecord> records)
    {
        await using var producer = Log.CreateProducer();
        await producer.ProduceAsync(records.Select(r => new OutgoingRecord(topic, ReadOnlyMemory<byte>.Empty, r.Bytes)).ToList(), TestContext.Current.CancellationToken);
    }

    /// <summary>Every record of the topic, read through a private group that never commits.</summary>
    public async Task<IReadOnlyList<LogRecord>> ReadAllAsync(string topic)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var consumer = Log.CreateConsumer(new ConsumerSpec($"hostile-reader-{Guid.NewGuid():N}", [topic]) { WhenNoCommittedOffset = StartPosition.Earliest });
        var records = new List<LogRecord>();
        var giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var batch = await consumer.PollAsync(1000, TimeSpan.FromMilliseconds(100), cancel);
            records.AddRange(batch);
            if (batch.Count == 0 && await consumer.IsAtEndAsync(cancel))
            {
                return records;
            }

            Assert.True(DateTime.UtcNow < giveUp, $"reading {topic} did not reach its end within a minute ({records.Count} records read)");
        }
    }

    /// <summary>Runs the real CLI on this log; it must exit 0 within <see cref="RunTimeout"/>. Returns its stderr (the log).</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        int code;
        string stderr;
        try
        {
            (code, _, stderr) = await DatastreamProcess.RunAsync(Directory.Path, args, RunTimeout, Environment);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"datastream {string.Join(' ', args)} did not finish within {RunTimeout.TotalSeconds:F0} s (stuck on a record?): {Tail(e.Message)}");
            throw;
        }

        Assert.True(code == 0, $"datastream {string.Join(' ', args)} exited {code}: {Tail(stderr)}");
        return stderr;
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        Directory.Dispose();
    }

    /// <summary>The end of a long log: where a stuck pipeline says why.</summary>
    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}
