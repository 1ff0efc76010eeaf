namespace Datastream.Kafka;

/// <summary>
/// How to reach a Kafka cluster. Secrets (SaslPassword) come from the environment or a file, never from the
/// repository; ToString never prints them.
/// </summary>
public sealed record KafkaLogOptions
{
    /// <summary>host:port[,host:port...] (KAFKA_BOOTSTRAP_SERVERS).</summary>
    public required string BootstrapServers { get; init; }

    public string ClientId { get; init; } = "datastream";

    /// <summary>plaintext | ssl | sasl_plaintext | sasl_ssl.</summary>
    public string SecurityProtocol { get; init; } = "plaintext";

    /// <summary>PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512; used with the sasl_* protocols.</summary>
    public string? SaslMechanism { get; init; }

    public string? SaslUsername { get; init; }

    public string? SaslPassword { get; init; }

    /// <summary>CA bundle to verify the brokers' certificates (ssl, sasl_ssl).</summary>
    public string? SslCaLocation { get; init; }

    /// <summary>Transactional ids are "{prefix}-{group}-{member}": one per consumer instance.</summary>
    public string TransactionalIdPrefix { get; init; } = "datastream";

    /// <summary>
    /// The largest record the producers send (librdkafka's message.max.bytes, whose own default is 1,000,000), also set
    /// as max.message.bytes on the topics this process creates. The default is the brokers' and topics' own default
    /// (1,048,588), so a dead letter at its default cap fits a cluster nobody reconfigured.
    /// </summary>
    public int MessageMaxBytes { get; init; } = DefaultMessageMaxBytes;

    public const int DefaultMessageMaxBytes = 1_048_588;

    /// <summary>What a record takes in a record batch beyond its key and value (lengths, timestamps, the batch's share), generously.</summary>
    public const int RecordFraming = 512;

    /// <summary>The largest key + value the producers send (ILog.MaxRecordBytes): MessageMaxBytes less the framing.</summary>
    public int MaxRecordBytes => MessageMaxBytes - RecordFraming;

    /// <summary>Upper bound of every blocking call to the cluster (admin, commits, transactions).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// DescribeTopicAsync lists every consumer group of the cluster (ListConsumerGroups) to report their committed
    /// offsets. False reports only the groups this process joined: for clusters where listing groups is not allowed,
    /// and for librdkafka's mock cluster, whose ListGroups answer crashes the client natively (double free).
    /// </summary>
    public bool DiscoverConsumerGroups { get; init; } = true;

    /// <summary>
    /// Groups whose committed offsets DescribeTopicAsync always reports, discovered or not: the pipelines' own
    /// groups, so `stats` and `--until-idle` work where groups cannot be listed.
    /// </summary>
    public IReadOnlyList<string> KnownGroups { get; init; } = [];

    /// <summary>Raw librdkafka properties applied last (e.g. session.timeout.ms), for what the options above do not name.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>Describes the connection without its secrets.</summary>
    public override string ToString() =>
        $"kafka {BootstrapServers} ({SecurityProtocol}{(SaslMechanism is null ? "" : $", {SaslMechanism} as {SaslUsername}")})";
}
