namespace Datastream.Kafka.Tests;

public sealed class ProducerConfigurationTests
{
    [Fact]
    public void Producers_Send_UpToTheBrokersDefaultMessageSize_NotLibrdkafkasSmallerOne()
    {
        // librdkafka's own default is 1,000,000: a dead letter at its 1,000,000-byte cap plus key and framing would be refused.
        var config = KafkaProducerConfiguration.Create(new KafkaLogOptions { BootstrapServers = "localhost:9092" });
        Assert.Equal(1_048_588, config.MessageMaxBytes);
        Assert.True(Core.Dlq.DlqEnvelope.DefaultMaxBytes + Pipelines.DeadLetterKey.MaxBytes + 512 <= config.MessageMaxBytes);

        var raised = KafkaProducerConfiguration.Create(new KafkaLogOptions { BootstrapServers = "localhost:9092", MessageMaxBytes = 4_000_000 });
        Assert.Equal(4_000_000, raised.MessageMaxBytes);
    }
}
