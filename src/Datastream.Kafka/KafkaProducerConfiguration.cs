using Confluent.Kafka;

namespace Datastream.Kafka;

/// <summary>The producer settings shared by plain and transactional producers.</summary>
internal static class KafkaProducerConfiguration
{
    public static ProducerConfig Create(KafkaLogOptions options)
    {
        var config = new ProducerConfig
        {
            // No duplicates or reordering from the client's own retries.
            EnableIdempotence = true,
            // Durable = acknowledged by every in-sync replica (the port's ProduceAsync promise).
            Acks = Acks.All,
            CompressionType = CompressionType.Lz4,
            // A few ms of batching turns thousands of records into a few requests.
            LingerMs = 5,
            BatchSize = 1024 * 1024,
            // A dead letter may be up to DeadLetters:MaxBytes; librdkafka's own default (1,000,000) would refuse it.
            MessageMaxBytes = options.MessageMaxBytes,
            // A missing topic is an error the caller must see (UnknownTopicException), not one to create silently.
            AllowAutoCreateTopics = false,
            // Delivery reports carry only what DeliveryTracker needs.
            DeliveryReportFields = "none",
        };
        return KafkaClientConfiguration.Apply(options, config);
    }
}
