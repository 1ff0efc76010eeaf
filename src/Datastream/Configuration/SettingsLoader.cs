using System.Globalization;
using Datastream.Cli;
using Datastream.Core.Dlq;
using Datastream.Core.Pricing;
using Datastream.Core.Rides;
using Datastream.Elasticsearch;
using Datastream.Kafka;
using Datastream.Pipelines;
using Microsoft.Extensions.Configuration;

namespace Datastream.Configuration;

/// <summary>
/// Layers appsettings.json &lt; appsettings.&lt;Environment&gt;.json &lt; environment variables &lt; command line
/// (SPEC §6) and validates the result, naming the key of any bad value.
/// </summary>
public static class SettingsLoader
{
    /// <summary>The original design's variable names, and the per-port engine switches.</summary>
    private static readonly Dictionary<string, string> EnvironmentAliases = new(StringComparer.Ordinal)
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
    };

    public static DatastreamSettings Load(string? configFile, string? dataDirOption, IReadOnlyDictionary<string, string?>? environment = null)
    {
        environment ??= ProcessEnvironment.Variables();
        string environmentName = Get(environment, "DATASTREAM_ENVIRONMENT") ?? Get(environment, "DOTNET_ENVIRONMENT") ?? "Production";

        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new UsageException($"--config: file '{configFile}' does not exist");
            }

            string full = Path.GetFullPath(configFile);
            builder.AddJsonFile(full, optional: false);
            string sibling = Path.Combine(Path.GetDirectoryName(full)!, $"{Path.GetFileNameWithoutExtension(full)}.{environmentName}.json");
            builder.AddJsonFile(sibling, optional: true);
        }
        else
        {
            string cwd = Directory.GetCurrentDirectory();
            builder.AddJsonFile(Path.Combine(cwd, "appsettings.json"), optional: true);
            builder.AddJsonFile(Path.Combine(cwd, $"appsettings.{environmentName}.json"), optional: true);
        }

        // Generic form for every key: DATASTREAM__ComputeCost__BatchSize=10000.
        var generic = environment.Where(e => e.Key.StartsWith("DATASTREAM__", StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Key["DATASTREAM__".Length..].Replace("__", ":", StringComparison.Ordinal), e.Value));
        var aliases = EnvironmentAliases.Where(a => Get(environment, a.Key) is not null)
            .Select(a => KeyValuePair.Create(a.Value, Get(environment, a.Key)));
        builder.AddInMemoryCollection(generic.Concat(aliases));
        if (dataDirOption is not null)
        {
            builder.AddInMemoryCollection([KeyValuePair.Create("DataDir", (string?)dataDirOption)]);
        }

        IConfiguration config;
        try
        {
            config = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new UsageException($"configuration: {e.Message}");
        }

        return Bind(config, environment);
    }

    private static DatastreamSettings Bind(IConfiguration config, IReadOnlyDictionary<string, string?> environment)
    {
        var topics = new TopicNames(
            Name(config, "Topics:Raw", "rides_raw"),
            Name(config, "Topics:Result", "rides_result"),
            Name(config, "Topics:Dlq", "rides_dlq"));
        var defaults = TariffTable.Default;
        var tariffs = new TariffTable(
            ReadTariff(config, "Tariffs:Low", defaults.Low),
            ReadTariff(config, "Tariffs:Medium", defaults.Medium),
            ReadTariff(config, "Tariffs:High", defaults.High));
        int maxMessageBytes = Int(config, "ComputeCost:MaxMessageBytes", 64 * 1024, 256, 64 * 1024 * 1024);
        var limits = ReadLimits(config, tariffs);
        var engine = Engine(config, "Engines:Log", "DATASTREAM_LOG", LogEngine.Embedded);
        int deadLetterMaxBytes = ReadDeadLetterMaxBytes(config, engine);
        var computeCost = new Pipelines.ComputeCost.ComputeCostSettings
        {
            Topics = topics,
            Group = Name(config, "ComputeCost:Group", "compute-cost"),
            BatchSize = Int(config, "ComputeCost:BatchSize", 5000, 1, 1_000_000),
            Transform = new ComputeCostOptions { MaxMessageBytes = maxMessageBytes, Limits = limits },
            DeadLetterMaxBytes = deadLetterMaxBytes,
        };
        var indexAndExport = new Pipelines.IndexAndExport.IndexAndExportSettings
        {
            Topics = topics,
            Group = Name(config, "IndexAndExport:Group", "index-and-export"),
            // Larger than compute-cost's: the index's cost per transaction (commit, checkpoint) dominates at 5,000.
            BatchSize = Int(config, "IndexAndExport:BatchSize", 20_000, 1, 1_000_000),
            Limits = limits,
            DeadLetterMaxBytes = deadLetterMaxBytes,
        };
        var lakeEngine = Choice(config, "Engines:Lake", "DATASTREAM_LAKE", new() { ["local"] = LakeEngine.Local, ["gcs"] = LakeEngine.Gcs }, LakeEngine.Local);
        string? bucket = config["Lake:Gcs:Bucket"] is { Length: > 0 } b ? b : null;
        if (lakeEngine == LakeEngine.Gcs && bucket is null)
        {
            throw new UsageException("GCS_BUCKET (Lake:Gcs:Bucket) is required with DATASTREAM_LAKE=gcs");
        }

        string prefix = config["Lake:Prefix"] ?? "rides/processed/";
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            prefix += "/";
        }

        var warehouse = Choice(config, "Engines:Warehouse", "DATASTREAM_WAREHOUSE", new() { ["duckdb"] = WarehouseEngine.DuckDb, ["bigquery"] = WarehouseEngine.BigQuery }, WarehouseEngine.DuckDb);
        if (warehouse == WarehouseEngine.BigQuery && (string.IsNullOrWhiteSpace(config["BigQuery:Project"]) || bucket is null))
        {
            throw new UsageException("DATASTREAM_WAREHOUSE=bigquery needs BIGQUERY_PROJECT and GCS_BUCKET (its external table reads the GCS lake)");
        }

        var indexEngine = Choice(config, "Engines:Index", "DATASTREAM_INDEX",
            new() { ["embedded"] = IndexEngine.Embedded, ["elasticsearch"] = IndexEngine.Elasticsearch }, IndexEngine.Embedded);
        double retentionHours = Double(config, "Log:RetentionHours", 168, 0);
        long retentionBytes = (long)Double(config, "Log:RetentionBytes", 0, 0);

        return new DatastreamSettings
        {
            DataDir = Path.GetFullPath(config["DataDir"] is { Length: > 0 } dir ? dir : "data"),
            LogEngine = engine,
            Topics = topics,
            // One partition suits one machine; Kafka's default of 6 lets up to 6 instances share the work.
            Partitions = Int(config, "Log:Partitions", engine == LogEngine.Kafka ? 6 : 1, 1, 1024),
            ReplicationFactor = (short)Int(config, "Log:ReplicationFactor", 1, 1, 16),
            LeaseDuration = TimeSpan.FromSeconds(Double(config, "Log:LeaseSeconds", 10, 0.5)),
            RetentionAge = retentionHours > 0 ? TimeSpan.FromHours(retentionHours) : null,
            RetentionBytes = retentionBytes > 0 ? retentionBytes : null,
            Tariffs = tariffs,
            ComputeCost = computeCost,
            IndexEngine = indexEngine,
            LakeEngine = lakeEngine,
            LakePrefix = prefix.TrimStart('/'),
            GcsBucket = bucket,
            GcsCredentialsFile = config["Lake:Gcs:CredentialsFile"] ?? Get(environment, "GOOGLE_APPLICATION_CREDENTIALS"),
            GcsBaseUri = config["Lake:Gcs:BaseUri"],
            LakeRollInterval = TimeSpan.FromSeconds(Double(config, "Lake:RollSeconds", 60, 0.01)),
            LakeMaxRowsPerFile = Int(config, "Lake:MaxRowsPerFile", 100_000, 1, 10_000_000),
            IndexAndExport = indexAndExport,
            WarehouseEngine = warehouse,
            BigQueryProject = config["BigQuery:Project"],
            BigQueryLocation = config["BigQuery:Location"] ?? "US",
            BigQueryBaseUri = config["BigQuery:BaseUri"],
            Kafka = engine == LogEngine.Kafka ? ReadKafka(config, environment, [computeCost.Group, indexAndExport.Group]) : null,
            Elasticsearch = indexEngine == IndexEngine.Elasticsearch ? ReadElasticsearch(config, environment) : null,
        };
    }

    /// <summary>The plausibility limits (SPEC §3.1), checked against each other and against the producer's tariffs.</summary>
    private static RideLimits ReadLimits(IConfiguration config, TariffTable tariffs)
    {
        var defaults = RideLimits.Default;
        DateTime? earliest = null;
        if (config["Limits:EarliestTs"] is { Length: > 0 } earliestText)
        {
            // A setting without offset is read as UTC (unlike a ride's ts, where that guess is refused).
            earliest = DateTimeOffset.TryParse(earliestText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed.UtcDateTime
                : throw new UsageException($"Limits:EarliestTs: '{earliestText}' is not an ISO-8601 timestamp (e.g. 2020-01-01T00:00:00Z)");
        }

        var limits = new RideLimits
        {
            MaxTsAhead = TimeSpan.FromHours(Double(config, "Limits:MaxTsAheadHours", defaults.MaxTsAhead.TotalHours, 0)),
            EarliestTsUtc = earliest,
            MaxDurationMin = Double(config, "Limits:MaxDurationMin", defaults.MaxDurationMin, 0),
            MaxPriceBase = Double(config, "Limits:MaxPriceBase", defaults.MaxPriceBase, 0),
            MaxPricePerKm = Double(config, "Limits:MaxPricePerKm", defaults.MaxPricePerKm, 0),
            MaxPricePerMin = Double(config, "Limits:MaxPricePerMin", defaults.MaxPricePerMin, 0),
            MaxPriceTotal = Double(config, "Limits:MaxPriceTotal", defaults.MaxPriceTotal, 0),
        };
        try
        {
            limits.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        foreach (var (level, tariff) in new[] { ("Low", tariffs.Low), ("Medium", tariffs.Medium), ("High", tariffs.High) })
        {
            CheckTariff($"Tariffs:{level}:Base", tariff.Base, "Limits:MaxPriceBase", limits.MaxPriceBase);
            CheckTariff($"Tariffs:{level}:PerKm", tariff.PerKm, "Limits:MaxPricePerKm", limits.MaxPricePerKm);
            CheckTariff($"Tariffs:{level}:PerMin", tariff.PerMin, "Limits:MaxPricePerMin", limits.MaxPricePerMin);
        }

        return limits;
    }

    private static void CheckTariff(string key, double value, string limitKey, double limit)
    {
        if (value > limit)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{key}: {value} is above {limitKey} ({limit}): every ride the producer generates at it would be refused"));
        }
    }

    /// <summary>DeadLetters:MaxBytes (SPEC §3.5): with a dead letter's key and the record framing, never above what the log accepts.</summary>
    private static int ReadDeadLetterMaxBytes(IConfiguration config, LogEngine engine)
    {
        const int framing = 512;
        int logMax = engine == LogEngine.Kafka ? KafkaMessageMaxBytes(config) : int.MaxValue;
        int max = Int(config, "DeadLetters:MaxBytes", DlqEnvelope.DefaultMaxBytes, DlqEnvelope.MinMaxBytes, 64 * 1024 * 1024);
        int room = logMax - DeadLetterKey.MaxBytes - framing;
        if (engine == LogEngine.Kafka && max > room)
        {
            throw new UsageException($"DeadLetters:MaxBytes: {max} does not fit Kafka:MessageMaxBytes ({logMax}) with a {DeadLetterKey.MaxBytes}-byte key and {framing} bytes of record framing: at most {room}, or raise Kafka:MessageMaxBytes (and max.message.bytes of the topic)");
        }

        return max;
    }

    private static int KafkaMessageMaxBytes(IConfiguration config)
        => Int(config, "Kafka:MessageMaxBytes", KafkaLogOptions.DefaultMessageMaxBytes, 128 * 1024, 1_000_000_000);

    private static ElasticsearchIndexOptions ReadElasticsearch(IConfiguration config, IReadOnlyDictionary<string, string?> environment)
    {
        string urls = config["Elasticsearch:Url"] is { Length: > 0 } u
            ? u
            : throw new UsageException("ELASTICSEARCH_URL (Elasticsearch:Url) is required with DATASTREAM_INDEX=elasticsearch");
        var nodes = new List<Uri>();
        foreach (string url in urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            nodes.Add(Uri.TryCreate(url, UriKind.Absolute, out var node) && node.Scheme is "http" or "https"
                ? node
                : throw new UsageException($"Elasticsearch:Url (ELASTICSEARCH_URL): '{url}' is not an http:// or https:// URL"));
        }

        if (nodes.Count == 0)
        {
            throw new UsageException("ELASTICSEARCH_URL (Elasticsearch:Url) is required with DATASTREAM_INDEX=elasticsearch");
        }

        // Secrets never come from a configuration file: only the environment or a file it names.
        string? apiKey = Secret(config, environment, "ELASTICSEARCH_API_KEY", "Elasticsearch:ApiKeyFile", "ELASTICSEARCH_API_KEY_FILE");
        string? password = Secret(config, environment, "ELASTICSEARCH_PASSWORD", "Elasticsearch:PasswordFile", "ELASTICSEARCH_PASSWORD_FILE");
        string? username = config["Elasticsearch:Username"] is { Length: > 0 } user ? user : null;
        if (apiKey is not null && (username is not null || password is not null))
        {
            throw new UsageException("ELASTICSEARCH_API_KEY and ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD are both set: choose one way to authenticate");
        }

        if ((username is null) != (password is null))
        {
            throw new UsageException(username is null
                ? "ELASTICSEARCH_PASSWORD is set without ELASTICSEARCH_USERNAME (Elasticsearch:Username)"
                : "ELASTICSEARCH_USERNAME (Elasticsearch:Username) needs ELASTICSEARCH_PASSWORD (or ELASTICSEARCH_PASSWORD_FILE)");
        }

        string? caFile = config["Elasticsearch:CaFile"] is { Length: > 0 } ca ? ca : null;
        if (caFile is not null && !File.Exists(caFile))
        {
            throw new UsageException($"Elasticsearch:CaFile (ELASTICSEARCH_CA_FILE): file '{caFile}' does not exist");
        }

        var options = new ElasticsearchIndexOptions
        {
            Nodes = nodes,
            IndexName = config["Elasticsearch:Index"] is { Length: > 0 } index ? index : "rides",
            ApiKey = apiKey,
            Username = username,
            Password = password,
            CaCertificateFile = caFile,
            RequestTimeout = TimeSpan.FromSeconds(Double(config, "Elasticsearch:RequestTimeoutSeconds", 60, 0.1)),
            MaxAttempts = Int(config, "Elasticsearch:MaxAttempts", 6, 1, 100),
            MaxDocumentsPerBulk = Int(config, "Elasticsearch:MaxDocumentsPerBulk", 5_000, 1, 100_000),
            CompressRequests = string.Equals(config["Elasticsearch:CompressRequests"], "true", StringComparison.OrdinalIgnoreCase),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"Elasticsearch: {e.Message.Split(" (Parameter", 2)[0]}");
        }

        return options;
    }

    /// <summary>A secret from its environment variable, or else from the file named by the configuration key.</summary>
    private static string? Secret(IConfiguration config, IReadOnlyDictionary<string, string?> environment, string variable, string fileKey, string fileVariable)
    {
        if (Get(environment, variable) is { } value)
        {
            return value;
        }

        if (config[fileKey] is not { Length: > 0 } file)
        {
            return null;
        }

        return File.Exists(file)
            ? File.ReadAllText(file).TrimEnd('\r', '\n')
            : throw new UsageException($"{fileKey} ({fileVariable}): file '{file}' does not exist");
    }

    private static KafkaLogOptions ReadKafka(IConfiguration config, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> pipelineGroups)
    {
        string servers = config["Kafka:BootstrapServers"] is { Length: > 0 } s
            ? s
            : throw new UsageException("KAFKA_BOOTSTRAP_SERVERS (Kafka:BootstrapServers) is required with DATASTREAM_LOG=kafka");
        string protocol = (config["Kafka:SecurityProtocol"] ?? "plaintext").Trim().ToLowerInvariant();
        if (protocol is not ("plaintext" or "ssl" or "sasl_plaintext" or "sasl_ssl"))
        {
            throw new UsageException($"Kafka:SecurityProtocol (KAFKA_SECURITY_PROTOCOL): '{protocol}' is not one of plaintext, ssl, sasl_plaintext, sasl_ssl");
        }

        string? mechanism = config["Kafka:SaslMechanism"]?.Trim().ToUpperInvariant();
        if (mechanism is not (null or "PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512"))
        {
            throw new UsageException($"Kafka:SaslMechanism (KAFKA_SASL_MECHANISM): '{mechanism}' is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
        }

        // The password never comes from a configuration file: only the environment or a file it names.
        string? password = Get(environment, "KAFKA_SASL_PASSWORD");
        if (password is null && config["Kafka:SaslPasswordFile"] is { Length: > 0 } passwordFile)
        {
            password = File.Exists(passwordFile)
                ? File.ReadAllText(passwordFile).TrimEnd('\r', '\n')
                : throw new UsageException($"Kafka:SaslPasswordFile (KAFKA_SASL_PASSWORD_FILE): file '{passwordFile}' does not exist");
        }

        if (protocol.StartsWith("sasl", StringComparison.Ordinal) && (mechanism is null || config["Kafka:SaslUsername"] is null || password is null))
        {
            throw new UsageException($"KAFKA_SECURITY_PROTOCOL={protocol} needs KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)");
        }

        if (config["Kafka:SslCaLocation"] is { Length: > 0 } ca && !File.Exists(ca))
        {
            throw new UsageException($"Kafka:SslCaLocation (KAFKA_SSL_CA_LOCATION): file '{ca}' does not exist");
        }

        return new KafkaLogOptions
        {
            BootstrapServers = servers,
            ClientId = config["Kafka:ClientId"] ?? "datastream",
            SecurityProtocol = protocol,
            SaslMechanism = mechanism,
            SaslUsername = config["Kafka:SaslUsername"],
            SaslPassword = password,
            SslCaLocation = config["Kafka:SslCaLocation"],
            TransactionalIdPrefix = config["Kafka:TransactionalIdPrefix"] ?? "datastream",
            MessageMaxBytes = KafkaMessageMaxBytes(config),
            DiscoverConsumerGroups = !string.Equals(config["Kafka:DiscoverConsumerGroups"], "false", StringComparison.OrdinalIgnoreCase),
            KnownGroups = pipelineGroups,
            Extra = config.GetSection("Kafka:Extra").GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!),
        };
    }

    private static LogEngine Engine(IConfiguration config, string key, string variable, LogEngine fallback)
        => Choice(config, key, variable, new() { ["embedded"] = LogEngine.Embedded, ["kafka"] = LogEngine.Kafka }, fallback);

    private static T Choice<T>(IConfiguration config, string key, string variable, Dictionary<string, T> choices, T fallback)
    {
        string? value = config[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return choices.TryGetValue(value.Trim().ToLowerInvariant(), out var chosen)
            ? chosen
            : throw new UsageException($"{key} ({variable}): unknown engine '{value}', expected {string.Join(" or ", choices.Keys)}");
    }

    private static Tariff ReadTariff(IConfiguration config, string key, Tariff fallback) => new(
        Double(config, key + ":Base", fallback.Base, 0),
        Double(config, key + ":PerKm", fallback.PerKm, 0),
        Double(config, key + ":PerMin", fallback.PerMin, 0));

    private static string Name(IConfiguration config, string key, string fallback)
    {
        string? value = config[key];
        if (value is null)
        {
            return fallback;
        }

        if (value.Length == 0 || value.Length > 249 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            throw new UsageException($"{key}: '{value}' is not a valid name (letters, digits, '.', '_' and '-', at most 249)");
        }

        return value;
    }

    private static int Int(IConfiguration config, string key, int fallback, int min, int max)
    {
        string? value = config[key];
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) || parsed < min || parsed > max)
        {
            throw new UsageException($"{key}: '{value}' is not a whole number between {min} and {max}");
        }

        return parsed;
    }

    private static double Double(IConfiguration config, string key, double fallback, double min)
    {
        string? value = config[key];
        if (value is null)
        {
            return fallback;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) || !double.IsFinite(parsed) || parsed < min)
        {
            throw new UsageException($"{key}: '{value}' is not a number ≥ {min}");
        }

        return parsed;
    }

    private static string? Get(IReadOnlyDictionary<string, string?> environment, string name)
        => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
