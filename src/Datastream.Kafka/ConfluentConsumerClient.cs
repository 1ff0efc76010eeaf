using Confluent.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>The real consumer: cooperative-sticky group member, manual commits, read_committed.</summary>
internal sealed class ConfluentConsumerClient : IKafkaConsumerClient
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Offset _resetOffset;
    private readonly IRebalanceListener _listener;

    public ConfluentConsumerClient(KafkaLogOptions options, ConsumerSpec spec, IRebalanceListener listener)
    {
        var config = new ConsumerConfig
        {
            GroupId = spec.Group,
            // Incremental rebalances: a member joining or leaving moves only the partitions that must move; the
            // others keep being consumed (and their transactions committed) during the rebalance.
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            // Offsets are committed only by CommitAsync or inside a transaction, never behind the pipeline's back.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            // Never read outputs of aborted transactions (a redone batch's first attempt).
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = spec.WhenNoCommittedOffset == StartPosition.Earliest ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest,
            // End-of-partition events tell where a partition really ends (see IRebalanceListener.OnEndOfPartition).
            EnablePartitionEof = true,
            AllowAutoCreateTopics = false,
        };
        KafkaClientConfiguration.Apply(options, config);
        _listener = listener;
        _resetOffset = spec.WhenNoCommittedOffset == StartPosition.Earliest ? Offset.Beginning : Offset.End;
        _consumer = new ConsumerBuilder<byte[], byte[]>(config)
            // With cooperative-sticky, Confluent.Kafka incrementally (un)assigns the given partitions after each handler.
            .SetPartitionsAssignedHandler((_, partitions) => listener.OnAssigned(partitions.Select(Convert).ToList()))
            .SetPartitionsRevokedHandler((_, partitions) => listener.OnRevoked(partitions.Select(p => Convert(p.TopicPartition)).ToList()))
            .SetPartitionsLostHandler((_, partitions) => listener.OnLost(partitions.Select(p => Convert(p.TopicPartition)).ToList()))
            .Build();
        _consumer.Subscribe(spec.Topics);
    }

    public IConsumerGroupMetadata? GroupMetadata => _consumer.ConsumerGroupMetadata;

    public LogRecord? Consume(TimeSpan timeout)
    {
        ConsumeResult<byte[], byte[]>? result;
        try
        {
            result = _consumer.Consume(timeout);
        }
        catch (ConsumeException e) when (e.Error.Code is ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.UnknownTopicId)
        {
            throw new UnknownTopicException(e.ConsumerRecord?.Topic ?? e.Error.Reason);
        }

        if (result is null)
        {
            return null;
        }

        if (result.IsPartitionEOF)
        {
            _listener.OnEndOfPartition(new TopicPartition(result.Topic, result.Partition.Value), result.Offset.Value);
            return null;
        }

        var message = result.Message;
        return new LogRecord(result.Topic, result.Partition.Value, result.Offset.Value, message.Timestamp.UtcDateTime,
            message.Key, message.Value ?? []);
    }

    public void Commit(IReadOnlyList<TopicPartitionOffset> nextOffsets) =>
        _consumer.Commit(nextOffsets.Select(o => new KafkaTopicPartitionOffset(o.Topic, o.Partition, o.Offset)));

    public IReadOnlyDictionary<TopicPartition, long?> Committed(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout)
    {
        var result = new Dictionary<TopicPartition, long?>();
        if (partitions.Count == 0)
        {
            return result;
        }

        foreach (var committed in _consumer.Committed(partitions.Select(Convert), timeout))
        {
            result[Convert(committed.TopicPartition)] = committed.Offset.IsSpecial ? null : committed.Offset.Value;
        }

        return result;
    }

    public void Seek(TopicPartition partition, long? offset)
    {
        var target = new KafkaTopicPartitionOffset(Convert(partition), offset is { } o ? new Offset(o) : _resetOffset);
        try
        {
            _consumer.Seek(target);
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State)
        {
            // Assigned but not fetching yet: re-adding it with an explicit offset sets where fetching starts.
            _consumer.IncrementalUnassign([target.TopicPartition]);
            _consumer.IncrementalAssign([target]);
        }
    }

    public long? Position(TopicPartition partition)
    {
        var position = _consumer.Position(Convert(partition));
        return position.IsSpecial ? null : position.Value;
    }

    public (long Low, long High) Watermarks(TopicPartition partition, TimeSpan timeout)
    {
        var cached = _consumer.GetWatermarkOffsets(Convert(partition));
        if (!cached.High.IsSpecial && !cached.Low.IsSpecial)
        {
            return (cached.Low.Value, cached.High.Value);
        }

        var queried = _consumer.QueryWatermarkOffsets(Convert(partition), timeout);
        return (queried.Low.Value, queried.High.Value);
    }

    public void Close() => _consumer.Close();

    public void Dispose() => _consumer.Dispose();

    private static KafkaTopicPartition Convert(TopicPartition partition) => new(partition.Topic, new Partition(partition.Partition));

    private static TopicPartition Convert(KafkaTopicPartition partition) => new(partition.Topic, partition.Partition.Value);
}
