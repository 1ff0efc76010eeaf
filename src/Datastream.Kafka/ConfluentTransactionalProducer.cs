using Confluent.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>The real transactional producer: one transactional.id, idempotent, acks=all.</summary>
internal sealed class ConfluentTransactionalProducer : IKafkaTransactionalProducer
{
    private readonly IProducer<byte[], byte[]> _producer;

    public ConfluentTransactionalProducer(KafkaLogOptions options, string transactionalId)
    {
        var config = KafkaProducerConfiguration.Create(options);
        config.TransactionalId = transactionalId;
        _producer = new ProducerBuilder<byte[], byte[]>(config).Build();
    }

    public void InitTransactions(TimeSpan timeout) => _producer.InitTransactions(timeout);

    public void BeginTransaction() => _producer.BeginTransaction();

    public void Produce(string topic, byte[]? key, byte[] value, DeliveryTracker tracker) =>
        KafkaLogProducer.Enqueue(_producer, topic, key, value, tracker);

    public void SendOffsetsToTransaction(IReadOnlyList<TopicPartitionOffset> nextOffsets, IConsumerGroupMetadata? group, TimeSpan timeout) =>
        _producer.SendOffsetsToTransaction(
            nextOffsets.Select(o => new KafkaTopicPartitionOffset(o.Topic, o.Partition, o.Offset)),
            group ?? throw new InvalidOperationException("the consumer has no group metadata yet"),
            timeout);

    public void CommitTransaction(TimeSpan timeout) => _producer.CommitTransaction(timeout);

    public void AbortTransaction(TimeSpan timeout) => _producer.AbortTransaction(timeout);

    public void Dispose() => _producer.Dispose();
}
