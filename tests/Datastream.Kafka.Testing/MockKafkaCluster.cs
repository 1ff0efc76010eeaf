using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Datastream.Kafka.Testing;

/// <summary>
/// librdkafka's in-process mock cluster (3 brokers), owned by an AdminClient for the fixture's lifetime. The mock
/// does not implement CreateTopics, so topics are made through its C API, in the same native file Confluent.Kafka
/// loaded (centos8-librdkafka.so on Debian 12).
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private const string NativeName = "rdkafka-mock";
    private static readonly object ResolverLock = new();
    private static bool _resolverSet;
    private readonly IAdminClient _owner;
    private readonly IntPtr _cluster;
    private int _topicCounter;

    public MockKafkaCluster()
    {
        var config = new AdminClientConfig();
        config.Set("test.mock.num.brokers", "3");
        _owner = new AdminClientBuilder(config).Build();
        BootstrapServers = string.Join(",", _owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        EnsureResolver();
        _cluster = rd_kafka_handle_mock_cluster(NativeHandleOf(_owner));
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("the AdminClient owns no mock cluster");
        }
        // A new group otherwise waits 3 s before its first assignment (0 hangs; 100 ms works).
        rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 100);
    }

    public string BootstrapServers { get; }

    /// <summary>Options for the adapter; short group timings so that rebalances take seconds, not tens of seconds.</summary>
    public KafkaLogOptions Options() => new()
    {
        BootstrapServers = BootstrapServers,
        RequestTimeout = TimeSpan.FromSeconds(10),
        // The mock's ListGroups answer crashes librdkafka (double free): describe only the groups we joined.
        DiscoverConsumerGroups = false,
        Extra = new Dictionary<string, string>
        {
            ["session.timeout.ms"] = "3000",
            ["heartbeat.interval.ms"] = "500",
            ["log_level"] = "3",
        },
    };

    /// <summary>A fresh topic name, so tests sharing the cluster never see each other's data.</summary>
    public string NewTopicName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _topicCounter)}";

    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        int error = rd_kafka_mock_topic_create(_cluster, name, partitions, replicationFactor);
        if (error != 0)
        {
            throw new InvalidOperationException($"rd_kafka_mock_topic_create({name}) failed with {error}");
        }
    }

    /// <summary>
    /// Stores <paramref name="group"/>'s committed offsets at the end of each partition of <paramref name="topic"/>, as a
    /// broker does for a transactional consumer that read it to the end: the mock drops offsets sent with
    /// SendOffsetsToTransaction. For a topic whose last records are not in transactions (its end is past a record,
    /// not a marker), which is the only kind for which the end is where such a consumer commits.
    /// </summary>
    public void CommitAtEnd(string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            SessionTimeoutMs = 3000,
            HeartbeatIntervalMs = 500,
        }).Build();
        // The mock takes commits only from a member of the group: join it and wait to own every partition.
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (consumer.Assignment.Count < partitions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"joining {group} on {topic}: assigned {consumer.Assignment.Count} of {partitions} partitions after 30 s");
            }

            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        var ends = Enumerable.Range(0, partitions)
            .Select(p => new TopicPartitionOffset(topic, p, consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High))
            .ToList();
        consumer.Commit(ends);
        consumer.Close();
    }

    public void Dispose() => _owner.Dispose();

    /// <summary>The rd_kafka_t* inside Confluent's Handle (internal: reached by reflection, tests only).</summary>
    private static IntPtr NativeHandleOf(IClient client)
    {
        var handle = client.Handle;
        var property = handle.GetType().GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("Confluent.Kafka.Handle has no LibrdkafkaHandle property");
        var safeHandle = (SafeHandle)property.GetValue(handle)!;
        return safeHandle.DangerousGetHandle();
    }

    /// <summary>Resolves our P/Invokes to the librdkafka file already mapped into the process by Confluent.Kafka.</summary>
    private static void EnsureResolver()
    {
        lock (ResolverLock)
        {
            if (_resolverSet)
            {
                return;
            }

            string path = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(parts => parts.Length >= 6 && parts[^1].Contains("librdkafka", StringComparison.Ordinal))
                .Select(parts => parts[^1])
                .FirstOrDefault() ?? throw new InvalidOperationException("librdkafka is not loaded");
            var library = NativeLibrary.Load(path);
            NativeLibrary.SetDllImportResolver(typeof(MockKafkaCluster).Assembly,
                (name, _, _) => name == NativeName ? library : IntPtr.Zero);
            _resolverSet = true;
        }
    }

    [DllImport(NativeName)]
    private static extern IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [DllImport(NativeName)]
    private static extern int rd_kafka_mock_topic_create(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitionCount, int replicationFactor);

    [DllImport(NativeName)]
    private static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);
}
