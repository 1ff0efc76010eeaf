namespace Datastream.Kafka.Hosting;

/// <summary>
/// The Kafka log's configuration keys (section Kafka; the seed's KAFKA_* variables map onto them). The password is
/// never bound from configuration: the host sets <see cref="SaslPassword"/> from the environment or the file named.
/// </summary>
public sealed class KafkaLogSettings
{
    /// <summary>host:port[,host:port...] (KAFKA_BOOTSTRAP_SERVERS); required.</summary>
    public string? BootstrapServers { get; set; }

    public string ClientId { get; set; } = "datastream";

    /// <summary>plaintext | ssl | sasl_plaintext | sasl_ssl (KAFKA_SECURITY_PROTOCOL), any case.</summary>
    public string SecurityProtocol { get; set; } = "plaintext";

    /// <summary>PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512 (KAFKA_SASL_MECHANISM), any case.</summary>
    public string? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    /// <summary>A file holding the SASL password (KAFKA_SASL_PASSWORD_FILE), read when KAFKA_SASL_PASSWORD is not set.</summary>
    public string? SaslPasswordFile { get; set; }

    /// <summary>Not bindable (no public setter): see <see cref="UseSaslPassword"/>.</summary>
    public string? SaslPassword { get; private set; }

    public string? SslCaLocation { get; set; }

    public string TransactionalIdPrefix { get; set; } = "datastream";

    /// <summary>Kafka:MessageMaxBytes: see <see cref="KafkaLogOptions.MessageMaxBytes"/>.</summary>
    public int MessageMaxBytes { get; set; } = KafkaLogOptions.DefaultMessageMaxBytes;

    public bool DiscoverConsumerGroups { get; set; } = true;

    /// <summary>The pipelines' consumer groups, set by the host: reported by DescribeTopicAsync even where groups cannot be listed.</summary>
    public IReadOnlyList<string> KnownGroups { get; private set; } = [];

    /// <summary>Kafka:Extra:&lt;librdkafka property&gt;: raw client properties applied last.</summary>
    public Dictionary<string, string> Extra { get; set; } = [];

    /// <summary>The host's secret, from KAFKA_SASL_PASSWORD or the file <see cref="SaslPasswordFile"/> names.</summary>
    public void UseSaslPassword(string? password) => SaslPassword = password;

    public void UseKnownGroups(IReadOnlyList<string> groups) => KnownGroups = groups;

    public string Protocol => SecurityProtocol.Trim().ToLowerInvariant();

    public string? Mechanism => SaslMechanism?.Trim().ToUpperInvariant();

    public KafkaLogOptions ToOptions() => new()
    {
        BootstrapServers = BootstrapServers!,
        ClientId = ClientId,
        SecurityProtocol = Protocol,
        SaslMechanism = Mechanism,
        SaslUsername = SaslUsername,
        SaslPassword = SaslPassword,
        SslCaLocation = SslCaLocation,
        TransactionalIdPrefix = TransactionalIdPrefix,
        MessageMaxBytes = MessageMaxBytes,
        DiscoverConsumerGroups = DiscoverConsumerGroups,
        KnownGroups = KnownGroups,
        Extra = Extra,
    };
}
