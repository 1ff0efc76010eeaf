using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Datastream.Pipelines.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Kafka;

/// <summary>
/// The log port on Apache Kafka. Topic admin goes through an AdminClient, partition offsets through a group-less
/// inspection consumer (QueryWatermarkOffsets). Every call to the cluster is bounded by RequestTimeout. Thread-safe.
/// </summary>
public sealed class KafkaLog : ILog
{
    private readonly KafkaLogOptions _options;
    private readonly ILogger _logger;
    private readonly IAdminClient _admin;
    private readonly Lazy<IConsumer<Ignore, Ignore>> _inspector;
    private readonly KafkaRecordCounter _counter;
    // Groups this process joined and the configured known groups: DescribeTopicAsync reports them even where the
    // cluster cannot list groups.
    private readonly ConcurrentDictionary<string, byte> _knownGroups;

    public KafkaLog(KafkaLogOptions options, ILogger<KafkaLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BootstrapServers);
        _options = options;
        _knownGroups = new ConcurrentDictionary<string, byte>(options.KnownGroups.Select(g => KeyValuePair.Create(g, (byte)0)));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _admin = new AdminClientBuilder(KafkaClientConfiguration.Apply(options, new AdminClientConfig())).Build();
        _inspector = new Lazy<IConsumer<Ignore, Ignore>>(() => new ConsumerBuilder<Ignore, Ignore>(
            KafkaClientConfiguration.Apply(options, new ConsumerConfig { GroupId = $"{options.ClientId}-inspector", EnableAutoCommit = false })).Build());
        _counter = new KafkaRecordCounter(options);
    }

    public string Engine => "kafka";

    public int MaxRecordBytes => _options.MaxRecordBytes;

    public KafkaLogOptions Options => _options;

    public async ValueTask CreateTopicAsync(TopicSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Name);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Partitions, 1);
        // Look before creating: an existing topic is left alone, and principals allowed to describe but not to
        // create topics (common in managed clusters) can still start pipelines on topics their admins made.
        var existing = await ListTopicsAsync(cancellationToken).ConfigureAwait(false);
        if (existing.Contains(spec.Name, StringComparer.Ordinal))
        {
            return;
        }

        var topic = new TopicSpecification
        {
            Name = spec.Name,
            NumPartitions = spec.Partitions,
            ReplicationFactor = spec.ReplicationFactor,
            Configs = new Dictionary<string, string>
            {
                // -1 = unlimited, as a null retention means in the port.
                ["retention.ms"] = spec.RetentionAge is { } age ? ((long)age.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-1",
                ["retention.bytes"] = spec.RetentionBytes is { } bytes ? bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-1",
                // What the producers may send (dead letters up to their cap) must be what the topic accepts.
                ["max.message.bytes"] = _options.MessageMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        try
        {
            await _admin.CreateTopicsAsync([topic], new CreateTopicsOptions { RequestTimeout = _options.RequestTimeout, OperationTimeout = _options.RequestTimeout })
                // The AdminClient honours RequestTimeout itself; this bound also covers a cluster that never answers.
                .WaitAsync(_options.RequestTimeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Already there: the port leaves an existing topic as it is.
        }
    }

    public async ValueTask<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        var metadata = await Task.Run(() => _admin.GetMetadata(_options.RequestTimeout), cancellationToken).ConfigureAwait(false);
        return metadata.Topics
            // "__consumer_offsets", "__transaction_state": the cluster's own bookkeeping.
            .Where(t => !t.Error.IsError && !t.Topic.StartsWith("__", StringComparison.Ordinal))
            .Select(t => t.Topic)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public async ValueTask<TopicDescription?> DescribeTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        // All topics, not GetMetadata(topic): asking for one topic by name may auto-create it on some clusters.
        var metadata = await Task.Run(() => _admin.GetMetadata(_options.RequestTimeout), cancellationToken).ConfigureAwait(false);
        var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (found is null || found.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic)
        {
            return null;
        }

        var partitions = found.Partitions.Select(p => p.PartitionId).Order().ToList();
        var watermarks = await Task.Run(() => partitions
            .Select(p => _inspector.Value.QueryWatermarkOffsets(new KafkaTopicPartition(topic, new Partition(p)), _options.RequestTimeout))
            .ToList(), cancellationToken).ConfigureAwait(false);
        var committed = await CommittedOffsetsAsync(topic, partitions, cancellationToken).ConfigureAwait(false);
        return new TopicDescription(topic, partitions.Select((p, i) => new PartitionDescription(
            p,
            watermarks[i].Low.IsSpecial ? 0 : watermarks[i].Low.Value,
            watermarks[i].High.IsSpecial ? 0 : watermarks[i].High.Value,
            committed.TryGetValue(p, out var groups) ? groups : new Dictionary<string, long>())).ToList());
    }

    /// <summary>Reads the range (read_committed) and counts what it delivers: markers and aborted records take offsets.</summary>
    public ValueTask<long> CountRecordsAsync(TopicPartition partition, long fromOffset, long toOffset, long atMost = long.MaxValue,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        _counter.CountAsync(partition, fromOffset, toOffset, atMost, progress, cancellationToken);

    public ILogProducer CreateProducer() => new KafkaLogProducer(_options);

    public ILogConsumer CreateConsumer(ConsumerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _knownGroups.TryAdd(spec.Group, 0);
        // One transactional id per consumer instance: fencing of stale members comes from the group metadata
        // sent with the offsets (KIP-447), not from sharing ids between instances.
        string transactionalId = $"{_options.TransactionalIdPrefix}-{spec.Group}-{spec.MemberId}";
        return new KafkaLogConsumer(
            spec,
            _options.RequestTimeout,
            listener => new ConfluentConsumerClient(_options, spec, listener),
            spec.Transactional ? () => new ConfluentTransactionalProducer(_options, transactionalId) : null);
    }

    public ValueTask DisposeAsync()
    {
        return new ValueTask(Task.Run(() =>
        {
            if (_inspector.IsValueCreated)
            {
                _inspector.Value.Dispose();
            }

            _counter.Dispose();
            _admin.Dispose();
        }));
    }

    /// <summary>
    /// partition → group → committed next offset. Groups come from ListConsumerGroups plus the groups this process
    /// joined. A cluster that cannot list groups or fetch their offsets in time yields what it could: the
    /// description then shows fewer (or no) committed offsets rather than hanging or failing.
    /// </summary>
    private async Task<Dictionary<int, Dictionary<string, long>>> CommittedOffsetsAsync(string topic, List<int> partitions, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, Dictionary<string, long>>();
        var bound = _options.RequestTimeout + TimeSpan.FromSeconds(1);
        var groups = new HashSet<string>(_knownGroups.Keys, StringComparer.Ordinal);
        if (_options.DiscoverConsumerGroups)
        {
            try
            {
                var listed = await _admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = _options.RequestTimeout })
                    .WaitAsync(bound, cancellationToken).ConfigureAwait(false);
                groups.UnionWith(listed.Valid.Select(g => g.GroupId));
            }
            catch (Exception e) when (e is KafkaException or TimeoutException)
            {
                _logger.LogDebug("listing consumer groups failed ({Reason}); describing {Topic} with the groups this process knows", e.Message, topic);
            }
        }

        var topicPartitions = partitions.Select(p => new KafkaTopicPartition(topic, new Partition(p))).ToList();
        foreach (var group in groups)
        {
            try
            {
                // One group per request: librdkafka's ListConsumerGroupOffsets accepts a single group.
                var offsets = await _admin.ListConsumerGroupOffsetsAsync(
                        [new ConsumerGroupTopicPartitions(group, topicPartitions)],
                        new ListConsumerGroupOffsetsOptions { RequestTimeout = _options.RequestTimeout })
                    .WaitAsync(bound, cancellationToken).ConfigureAwait(false);
                foreach (var entry in offsets.SelectMany(o => o.Partitions))
                {
                    if (entry.Error.IsError || entry.Offset.IsSpecial || entry.Topic != topic)
                    {
                        continue;
                    }

                    if (!result.TryGetValue(entry.Partition.Value, out var byGroup))
                    {
                        result[entry.Partition.Value] = byGroup = new Dictionary<string, long>();
                    }

                    byGroup[group] = entry.Offset.Value;
                }
            }
            catch (Exception e) when (e is KafkaException or TimeoutException)
            {
                _logger.LogDebug("fetching offsets of group {Group} on {Topic} failed: {Reason}", group, topic, e.Message);
            }
        }

        return result;
    }
}
