using Confluent.Kafka;
using Datastream.Pipelines.Log;
using TopicPartition = Datastream.Pipelines.Log.TopicPartition;
using TopicPartitionOffset = Datastream.Pipelines.Log.TopicPartitionOffset;

namespace Datastream.Kafka.Tests;

/// <summary>A consumer that replays a script: each Consume runs the next step, which may return a record or rebalance.</summary>
internal sealed class FakeConsumerClient(IRebalanceListener listener, CallLog calls) : IKafkaConsumerClient
{
    private readonly Queue<Func<IRebalanceListener, LogRecord?>> _script = new();

    public Dictionary<TopicPartition, long?> CommittedOffsets { get; } = new();

    public IConsumerGroupMetadata? GroupMetadata => null;

    public IRebalanceListener Listener => listener;

    public void Then(Func<IRebalanceListener, LogRecord?> step) => _script.Enqueue(step);

    public void ThenRecord(string topic, int partition, long offset) =>
        Then(_ => new LogRecord(topic, partition, offset, DateTime.UtcNow, null, [(byte)'x']));

    public LogRecord? Consume(TimeSpan timeout)
    {
        if (_script.TryDequeue(out var step))
        {
            return step(listener);
        }

        Thread.Sleep(timeout < TimeSpan.FromMilliseconds(2) ? timeout : TimeSpan.FromMilliseconds(2));
        return null;
    }

    public void Commit(IReadOnlyList<TopicPartitionOffset> nextOffsets) => calls.Add("consumer-commit");

    public IReadOnlyDictionary<TopicPartition, long?> Committed(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout) =>
        partitions.ToDictionary(p => p, p => CommittedOffsets.GetValueOrDefault(p));

    public void Seek(TopicPartition partition, long? offset) => calls.Add($"seek {partition.Partition}@{offset?.ToString() ?? "reset"}");

    public long? Position(TopicPartition partition) => null;

    public (long Low, long High) Watermarks(TopicPartition partition, TimeSpan timeout) => (0, 100);

    public void Close() => calls.Add("close");

    public void Dispose()
    {
    }
}
