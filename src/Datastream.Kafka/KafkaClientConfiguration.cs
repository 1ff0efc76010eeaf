using Confluent.Kafka;

namespace Datastream.Kafka;

/// <summary>Turns <see cref="KafkaLogOptions"/> into the librdkafka properties every client shares.</summary>
internal static class KafkaClientConfiguration
{
    public static T Apply<T>(KafkaLogOptions options, T config) where T : ClientConfig
    {
        config.BootstrapServers = options.BootstrapServers;
        config.ClientId = options.ClientId;
        config.SecurityProtocol = options.SecurityProtocol.ToLowerInvariant() switch
        {
            "plaintext" => Confluent.Kafka.SecurityProtocol.Plaintext,
            "ssl" => Confluent.Kafka.SecurityProtocol.Ssl,
            "sasl_plaintext" => Confluent.Kafka.SecurityProtocol.SaslPlaintext,
            "sasl_ssl" => Confluent.Kafka.SecurityProtocol.SaslSsl,
            var other => throw new ArgumentException($"unknown Kafka security protocol '{other}' (plaintext, ssl, sasl_plaintext, sasl_ssl)"),
        };
        if (options.SaslMechanism is { } mechanism)
        {
            config.SaslMechanism = mechanism.ToUpperInvariant() switch
            {
                "PLAIN" => Confluent.Kafka.SaslMechanism.Plain,
                "SCRAM-SHA-256" => Confluent.Kafka.SaslMechanism.ScramSha256,
                "SCRAM-SHA-512" => Confluent.Kafka.SaslMechanism.ScramSha512,
                var other => throw new ArgumentException($"unknown SASL mechanism '{other}' (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)"),
            };
        }

        if (options.SaslUsername is not null)
        {
            config.SaslUsername = options.SaslUsername;
        }

        if (options.SaslPassword is not null)
        {
            config.SaslPassword = options.SaslPassword;
        }

        if (options.SslCaLocation is not null)
        {
            config.SslCaLocation = options.SslCaLocation;
        }

        config.SocketTimeoutMs = (int)Math.Max(options.RequestTimeout.TotalMilliseconds, 10);
        foreach (var (key, value) in options.Extra)
        {
            config.Set(key, value);
        }

        return config;
    }
}
