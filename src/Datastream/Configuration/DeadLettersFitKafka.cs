using Datastream.Kafka;
using Datastream.Kafka.Hosting;
using Microsoft.Extensions.Options;

namespace Datastream.Configuration;

/// <summary>DeadLetters:MaxBytes (SPEC §3.5) on Kafka: with a dead letter's key and the record framing, never above what the log accepts.</summary>
public sealed class DeadLettersFitKafka(IOptions<DatastreamOptions> host) : IValidateOptions<KafkaLogSettings>
{
    private const int Framing = KafkaLogOptions.RecordFraming;

    public ValidateOptionsResult Validate(string? name, KafkaLogSettings kafka)
    {
        int max = host.Value.DeadLetters.MaxBytes;
        int room = kafka.MessageMaxBytes - Pipelines.DeadLetterKey.MaxBytes - Framing;
        return max <= room
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"DeadLetters:MaxBytes: {max} does not fit Kafka:MessageMaxBytes ({kafka.MessageMaxBytes}) with a {Pipelines.DeadLetterKey.MaxBytes}-byte key and {Framing} bytes of record framing: at most {room}, or raise Kafka:MessageMaxBytes (and max.message.bytes of the topic)");
    }
}
