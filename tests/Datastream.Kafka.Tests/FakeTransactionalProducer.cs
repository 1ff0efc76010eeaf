using Confluent.Kafka;
using TopicPartitionOffset = Datastream.Pipelines.Log.TopicPartitionOffset;

namespace Datastream.Kafka.Tests;

/// <summary>A transactional producer whose deliveries arrive later, on another thread, and whose steps can be made to fail.</summary>
internal sealed class FakeTransactionalProducer(CallLog calls, int id) : IKafkaTransactionalProducer
{
    public int Id { get; } = id;

    public Exception? FailSendOffsets { get; set; }

    public Exception? FailCommit { get; set; }

    public bool Disposed { get; private set; }

    public void InitTransactions(TimeSpan timeout) => calls.Add($"init#{Id}");

    public void BeginTransaction() => calls.Add($"begin#{Id}");

    public void Produce(string topic, byte[]? key, byte[] value, DeliveryTracker tracker)
    {
        calls.Add($"produce {topic}");
        tracker.Sent();
        _ = Task.Run(async () =>
        {
            // Late reports: a commit that did not wait for them would log send-offsets first.
            await Task.Delay(30);
            calls.Add("delivered");
            tracker.Delivered(topic, null);
        });
    }

    public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> nextOffsets, IConsumerGroupMetadata? group, TimeSpan timeout)
    {
        calls.Add($"send-offsets {string.Join(",", nextOffsets.Select(o => $"{o.Partition}@{o.Offset}"))}");
        if (FailSendOffsets is { } error)
        {
            throw error;
        }
    }

    public void CommitTransaction(TimeSpan timeout)
    {
        calls.Add("commit");
        if (FailCommit is { } error)
        {
            throw error;
        }
    }

    public void AbortTransaction(TimeSpan timeout) => calls.Add("abort");

    public void Dispose() => Disposed = true;
}
