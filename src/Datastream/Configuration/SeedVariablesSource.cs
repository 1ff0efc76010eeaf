using Microsoft.Extensions.Configuration;

namespace Datastream.Configuration;

/// <summary>
/// Environment variables as configuration keys (SPEC §6): the generic DATASTREAM__Section__Key form for every key,
/// and the original design's variable names (RAW_TOPIC, KAFKA_BOOTSTRAP_SERVERS, ...) for the keys they stand for.
/// </summary>
public sealed class SeedVariablesSource(IReadOnlyDictionary<string, string?> environment, IReadOnlyDictionary<string, string> aliases, bool generic)
    : IConfigurationSource
{
    private const string GenericPrefix = "DATASTREAM__";

    private IReadOnlyDictionary<string, string?> Environment => environment;

    private IReadOnlyDictionary<string, string> Mapped => aliases;

    private bool Generic => generic;

    /// <summary>The seed's names and the per-port engine switches; above the configuration files.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RAW_TOPIC"] = "Topics:Raw",
        ["RESULT_TOPIC"] = "Topics:Result",
        ["DLQ_TOPIC"] = "Topics:Dlq",
        ["GCS_BUCKET"] = "Lake:Gcs:Bucket",
        ["GCS_PREFIX"] = "Lake:Prefix",
        ["KAFKA_BOOTSTRAP_SERVERS"] = "Kafka:BootstrapServers",
        ["KAFKA_SECURITY_PROTOCOL"] = "Kafka:SecurityProtocol",
        ["KAFKA_SASL_MECHANISM"] = "Kafka:SaslMechanism",
        ["KAFKA_SASL_USERNAME"] = "Kafka:SaslUsername",
        ["KAFKA_SASL_PASSWORD_FILE"] = "Kafka:SaslPasswordFile",
        ["KAFKA_SSL_CA_LOCATION"] = "Kafka:SslCaLocation",
        ["ELASTICSEARCH_URL"] = "Elasticsearch:Url",
        ["ELASTICSEARCH_INDEX"] = "Elasticsearch:Index",
        ["ELASTICSEARCH_USERNAME"] = "Elasticsearch:Username",
        ["ELASTICSEARCH_API_KEY_FILE"] = "Elasticsearch:ApiKeyFile",
        ["ELASTICSEARCH_PASSWORD_FILE"] = "Elasticsearch:PasswordFile",
        ["ELASTICSEARCH_CA_FILE"] = "Elasticsearch:CaFile",
        ["BIGQUERY_PROJECT"] = "BigQuery:Project",
        ["DATASTREAM_LOG"] = "Engines:Log",
        ["DATASTREAM_INDEX"] = "Engines:Index",
        ["DATASTREAM_LAKE"] = "Engines:Lake",
        ["DATASTREAM_WAREHOUSE"] = "Engines:Warehouse",
        ["DATASTREAM_DATA_DIR"] = "DataDir",
        ["DATASTREAM_LOG_FORMAT"] = "LogFormat",
    };

    /// <summary>Google's own variable: a default that a configuration file's Lake:Gcs:CredentialsFile overrides.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fallbacks = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GOOGLE_APPLICATION_CREDENTIALS"] = "Lake:Gcs:CredentialsFile",
    };

    /// <summary>The variable a key is set by, for error messages: "Topics:Raw" → "RAW_TOPIC".</summary>
    public static string? VariableOf(string key) => Aliases.FirstOrDefault(a => string.Equals(a.Value, key, StringComparison.OrdinalIgnoreCase)).Key;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    private sealed class Provider(SeedVariablesSource source) : ConfigurationProvider
    {
        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (source.Generic)
            {
                // DATASTREAM__ComputeCost__BatchSize=10000 sets ComputeCost:BatchSize.
                foreach (var (name, value) in source.Environment.Where(e => e.Key.StartsWith(GenericPrefix, StringComparison.Ordinal)))
                {
                    data[name[GenericPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
                }
            }

            // The seed's names win over the generic form, as they always have.
            foreach (var (variable, key) in source.Mapped)
            {
                if (source.Environment.Get(variable) is { } value)
                {
                    data[key] = value;
                }
            }

            Data = data;
        }
    }
}
