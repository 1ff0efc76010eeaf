using System.Globalization;
using Datastream.Cli;
using Datastream.Core.Pricing;
using Datastream.Core.Rides;
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
        ["ELASTICSEARCH_URL"] = "Elasticsearch:Url",
        ["BIGQUERY_PROJECT"] = "BigQuery:Project",
        ["DATASTREAM_LOG"] = "Engines:Log",
        ["DATASTREAM_INDEX"] = "Engines:Index",
        ["DATASTREAM_LAKE"] = "Engines:Lake",
        ["DATASTREAM_WAREHOUSE"] = "Engines:Warehouse",
        ["DATASTREAM_DATA_DIR"] = "DataDir",
    };

    public static DatastreamSettings Load(string? configFile, string? dataDirOption, IReadOnlyDictionary<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
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

        return Bind(config);
    }

    private static DatastreamSettings Bind(IConfiguration config)
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
        var computeCost = new Pipelines.ComputeCost.ComputeCostSettings
        {
            Topics = topics,
            Group = Name(config, "ComputeCost:Group", "compute-cost"),
            BatchSize = Int(config, "ComputeCost:BatchSize", 5000, 1, 1_000_000),
            Transform = new ComputeCostOptions { MaxMessageBytes = maxMessageBytes },
        };
        double retentionHours = Double(config, "Log:RetentionHours", 168, 0);
        long retentionBytes = (long)Double(config, "Log:RetentionBytes", 0, 0);

        return new DatastreamSettings
        {
            DataDir = Path.GetFullPath(config["DataDir"] is { Length: > 0 } dir ? dir : "data"),
            LogEngine = Engine(config, "Engines:Log", "DATASTREAM_LOG", LogEngine.Embedded),
            Topics = topics,
            Partitions = Int(config, "Log:Partitions", 1, 1, 1024),
            ReplicationFactor = (short)Int(config, "Log:ReplicationFactor", 1, 1, 16),
            RetentionAge = retentionHours > 0 ? TimeSpan.FromHours(retentionHours) : null,
            RetentionBytes = retentionBytes > 0 ? retentionBytes : null,
            Tariffs = tariffs,
            ComputeCost = computeCost,
            KafkaBootstrapServers = config["Kafka:BootstrapServers"],
        };
    }

    private static LogEngine Engine(IConfiguration config, string key, string variable, LogEngine fallback)
    {
        string? value = config[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "embedded" => LogEngine.Embedded,
            "kafka" => LogEngine.Kafka,
            _ => throw new UsageException($"{key} ({variable}): unknown engine '{value}', expected embedded or kafka"),
        };
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
