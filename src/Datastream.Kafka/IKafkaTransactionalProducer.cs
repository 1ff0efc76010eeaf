using Confluent.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>
/// The transactional calls a unit of work needs, behind an interface so that tests can drive the commit protocol
/// (fencing, aborts, failed deliveries) without a cluster. Every method but Produce may block up to its timeout.
/// </summary>
internal interface IKafkaTransactionalProducer : IDisposable
{
    /// <summary>Registers the transactional id with the coordinator, fencing older producers of the same id.</summary>
    void InitTransactions(TimeSpan timeout);

    void BeginTransaction();

    /// <summary>Hands one record to the client; the tracker hears about its delivery. Null key = round-robin.</summary>
    void Produce(string topic, byte[]? key, byte[] value, DeliveryTracker tracker);

    void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> nextOffsets, IConsumerGroupMetadata? group, TimeSpan timeout);

    void CommitTransaction(TimeSpan timeout);

    void AbortTransaction(TimeSpan timeout);
}
