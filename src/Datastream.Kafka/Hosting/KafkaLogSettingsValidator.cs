using Microsoft.Extensions.Options;

namespace Datastream.Kafka.Hosting;

/// <summary>Checks the Kafka settings before anything connects, naming the key and the seed's variable of a bad value.</summary>
internal sealed class KafkaLogSettingsValidator : IValidateOptions<KafkaLogSettings>
{
    public ValidateOptionsResult Validate(string? name, KafkaLogSettings settings)
    {
        if (string.IsNullOrEmpty(settings.BootstrapServers))
        {
            return Fail("KAFKA_BOOTSTRAP_SERVERS (Kafka:BootstrapServers) is required with DATASTREAM_LOG=kafka");
        }

        string protocol = settings.Protocol;
        if (protocol is not ("plaintext" or "ssl" or "sasl_plaintext" or "sasl_ssl"))
        {
            return Fail($"Kafka:SecurityProtocol (KAFKA_SECURITY_PROTOCOL): '{protocol}' is not one of plaintext, ssl, sasl_plaintext, sasl_ssl");
        }

        if (settings.Mechanism is not (null or "PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512"))
        {
            return Fail($"Kafka:SaslMechanism (KAFKA_SASL_MECHANISM): '{settings.Mechanism}' is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
        }

        if (protocol.StartsWith("sasl", StringComparison.Ordinal) && (settings.Mechanism is null || settings.SaslUsername is null || settings.SaslPassword is null))
        {
            return Fail($"KAFKA_SECURITY_PROTOCOL={protocol} needs KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)");
        }

        if (settings.SslCaLocation is { Length: > 0 } ca && !File.Exists(ca))
        {
            return Fail($"Kafka:SslCaLocation (KAFKA_SSL_CA_LOCATION): file '{ca}' does not exist");
        }

        if (settings.MessageMaxBytes is < 128 * 1024 or > 1_000_000_000)
        {
            return Fail($"Kafka:MessageMaxBytes: '{settings.MessageMaxBytes}' is not a whole number between {128 * 1024} and 1000000000");
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string message) => ValidateOptionsResult.Fail(message);
}
