using Datastream.Cli;
using Datastream.Configuration;
using Datastream.Elasticsearch;
using Datastream.Elasticsearch.Hosting;
using Datastream.Embedded.Hosting;
using Datastream.Hosting;
using Datastream.Kafka;
using Datastream.Kafka.Hosting;
using Datastream.Lake;
using Datastream.Lake.Hosting;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Datastream.Tests;

/// <summary>The host's configuration (SPEC §6): its layers, the seed's variables, defaults, and one line naming a bad key.</summary>
public sealed class HostConfigurationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ds-settings-" + Guid.NewGuid().ToString("N"));

    public HostConfigurationTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>What the commands get from a host configured by <paramref name="environment"/> (and the files), checked as at start.</summary>
    private static Configured Load(string? configFile, string? dataDir, IReadOnlyDictionary<string, string?> environment)
    {
        using var host = DatastreamHost.BuildChecked(configFile, dataDir, environment, LogLevel.Information);
        var services = host.Services;
        var engines = services.GetRequiredService<EngineChoice>();
        return new Configured(
            services.GetRequiredService<IOptions<DatastreamOptions>>().Value,
            engines,
            services.GetRequiredService<ComputeCostSettings>(),
            services.GetRequiredService<IndexAndExportSettings>(),
            services.GetRequiredService<TopicProvisioning>().SpecFor("any").Partitions,
            engines.Log == LogEngine.Kafka ? services.GetRequiredService<IOptions<KafkaLogSettings>>().Value.ToOptions() : null,
            engines.Index == IndexEngine.Elasticsearch ? services.GetRequiredService<IOptions<ElasticsearchIndexSettings>>().Value.ToOptions() : null,
            engines.Index == IndexEngine.Embedded
                ? services.GetRequiredService<IOptions<EmbeddedIndexSettings>>().Value.ToOptions(services.GetRequiredService<IOptions<DatastreamOptions>>().Value.FullDataDir)
                : null,
            services.GetRequiredService<IOptions<LakeSettings>>().Value.ToOptions());
    }

    private sealed record Configured(DatastreamOptions Options, EngineChoice Engines, ComputeCostSettings ComputeCost, IndexAndExportSettings IndexAndExport,
        int Partitions, KafkaLogOptions? Kafka, ElasticsearchIndexOptions? Elasticsearch, Embedded.Index.EmbeddedIndexOptions? EmbeddedIndex, LakeOptions Lake)
    {
        public Pipelines.TopicNames Topics => Options.TopicNames;
        public string DataDir => Options.FullDataDir;
        public Core.Pricing.TariffTable Tariffs => Options.TariffTable;
        public LogEngine LogEngine => Engines.Log;
        public IndexEngine IndexEngine => Engines.Index;
    }

    [Fact]
    public void Defaults_AreTheEmbeddedEngineAndTheDesignsTopicNames()
    {
        var settings = Load(null, _dir, new Dictionary<string, string?>());
        Assert.Equal(LogEngine.Embedded, settings.LogEngine);
        Assert.Equal(("rides_raw", "rides_result", "rides_dlq"), (settings.Topics.Raw, settings.Topics.Result, settings.Topics.Dlq));
        Assert.Equal(Path.GetFullPath(_dir), settings.DataDir);
        Assert.Equal(65536, settings.ComputeCost.Transform.MaxMessageBytes);
        Assert.Equal(1.1, settings.Tariffs.Medium.PerKm);
    }

    [Fact]
    public void Limits_AndTheDeadLetterCap_AreBoundToBothPipelines()
    {
        var environment = new Dictionary<string, string?>
        {
            ["DATASTREAM__Limits__MaxDurationMin"] = "600",
            ["DATASTREAM__Limits__EarliestTs"] = "2020-01-01T00:00:00Z",
            ["DATASTREAM__Limits__MaxTsAheadHours"] = "2",
            ["DATASTREAM__DeadLetters__MaxBytes"] = "200000",
        };
        var settings = Load(null, _dir, environment);
        Assert.Equal(600, settings.ComputeCost.Transform.Limits.MaxDurationMin);
        Assert.Same(settings.ComputeCost.Transform.Limits, settings.IndexAndExport.Limits);
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), settings.IndexAndExport.Limits.EarliestTsUtc);
        Assert.Equal(TimeSpan.FromHours(2), settings.IndexAndExport.Limits.MaxTsAhead);
        Assert.Equal((200_000, 200_000), (settings.ComputeCost.DeadLetterMaxBytes, settings.IndexAndExport.DeadLetterMaxBytes));

        var defaults = Load(null, _dir, new Dictionary<string, string?>());
        Assert.Equal(Core.Dlq.DlqEnvelope.DefaultMaxBytes, defaults.ComputeCost.DeadLetterMaxBytes);
        Assert.Null(defaults.ComputeCost.Transform.Limits.EarliestTsUtc);
    }

    [Theory]
    [InlineData("DATASTREAM__Limits__MaxPriceTotal", "0", "Limits:MaxPriceTotal")]
    [InlineData("DATASTREAM__Limits__MaxPriceTotal", "1e15", "Limits:MaxPriceTotal")]
    [InlineData("DATASTREAM__Limits__MaxDurationMin", "1e308", "Limits:")]
    [InlineData("DATASTREAM__Limits__EarliestTs", "yesterday", "Limits:EarliestTs")]
    [InlineData("DATASTREAM__Limits__MaxPricePerKm", "1", "Tariffs:Medium:PerKm")]
    [InlineData("DATASTREAM__DeadLetters__MaxBytes", "1000", "DeadLetters:MaxBytes")]
    // The embedded log would refuse a dead letter of the default DeadLetters:MaxBytes (1,000,000), failing its batch forever.
    [InlineData("DATASTREAM__Log__MaxRecordBytes", "500000", "Log:MaxRecordBytes")]
    public void BadLimits_AreUsageErrorsNamingTheKey(string variable, string value, string key)
    {
        var error = Assert.Throws<UsageException>(() => Load(null, _dir, new Dictionary<string, string?> { [variable] = value }));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void OnKafka_TheDeadLetterCapMustFitTheMessageSize()
    {
        var kafka = new Dictionary<string, string?> { ["DATASTREAM_LOG"] = "kafka", ["KAFKA_BOOTSTRAP_SERVERS"] = "localhost:9092" };
        var settings = Load(null, _dir, kafka);
        Assert.Equal(1_048_588, settings.Kafka!.MessageMaxBytes);
        Assert.True(settings.ComputeCost.DeadLetterMaxBytes + Pipelines.DeadLetterKey.MaxBytes < settings.Kafka.MessageMaxBytes);

        var error = Assert.Throws<UsageException>(() => Load(null, _dir, new Dictionary<string, string?>(kafka) { ["DATASTREAM__DeadLetters__MaxBytes"] = "1048576" }));
        Assert.Contains("Kafka:MessageMaxBytes", error.Message);
        var raised = Load(null, _dir, new Dictionary<string, string?>(kafka) { ["DATASTREAM__DeadLetters__MaxBytes"] = "1048576", ["DATASTREAM__Kafka__MessageMaxBytes"] = "2097152" });
        Assert.Equal(2_097_152, raised.Kafka!.MessageMaxBytes);
    }

    [Fact]
    public void Layers_FileThenEnvironmentFileThenVariablesThenCommandLine()
    {
        string file = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(file, """{"Topics":{"Raw":"from_file","Result":"result_file"},"ComputeCost":{"BatchSize":10},"DataDir":"/tmp/from-file"}""");
        File.WriteAllText(Path.Combine(_dir, "appsettings.Staging.json"), """{"Topics":{"Result":"result_staging"},"ComputeCost":{"BatchSize":20}}""");
        var environment = new Dictionary<string, string?>
        {
            ["DATASTREAM_ENVIRONMENT"] = "Staging",
            ["DLQ_TOPIC"] = "dlq_env",
            ["DATASTREAM__ComputeCost__BatchSize"] = "30",
        };

        var settings = Load(file, "/tmp/from-cli", environment);

        Assert.Equal("from_file", settings.Topics.Raw);
        Assert.Equal("result_staging", settings.Topics.Result);
        Assert.Equal("dlq_env", settings.Topics.Dlq);
        Assert.Equal(30, settings.ComputeCost.BatchSize);
        Assert.Equal("/tmp/from-cli", settings.DataDir);
        Assert.Equal(settings.Topics, settings.ComputeCost.Topics);
    }

    [Theory]
    [InlineData("DATASTREAM_LOG", "rabbit", "Engines:Log")]
    [InlineData("DATASTREAM__ComputeCost__BatchSize", "lots", "ComputeCost:BatchSize")]
    [InlineData("DATASTREAM__Tariffs__Low__Base", "-1", "Tariffs:Low:Base")]
    [InlineData("RAW_TOPIC", "bad topic", "Topics:Raw")]
    [InlineData("DATASTREAM__Log__MaxRecordBytes", "100", "Log:MaxRecordBytes")]
    [InlineData("DATASTREAM__Log__Compression", "brotli", "Log:Compression")]
    [InlineData("DATASTREAM__Log__Compression", "7", "Log:Compression")]
    [InlineData("DATASTREAM__Lake__Compression", "gzip", "Lake:Compression")]
    [InlineData("DATASTREAM__Lake__Compression", "9", "Lake:Compression")]
    [InlineData("DATASTREAM__ComputeCost__MaxBatchBytes", "10", "ComputeCost:MaxBatchBytes")]
    [InlineData("DATASTREAM__DeadLetters__PageCacheBytes", "1000", "DeadLetters:PageCacheBytes")]
    [InlineData("DATASTREAM__IndexAndExport__MaxUnindexedRides", "-1", "IndexAndExport:MaxUnindexedRides")]
    [InlineData("DATASTREAM__Index__WriterCacheMebibytes", "0", "Index:WriterCacheMebibytes")]
    [InlineData("DATASTREAM__Index__WriterCacheMebibytes", "lots", "Index:WriterCacheMebibytes")]
    public void BadValues_AreUsageErrorsNamingTheKey(string variable, string value, string key)
    {
        var error = Assert.Throws<UsageException>(() => Load(null, _dir, new Dictionary<string, string?> { [variable] = value }));
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void KafkaEngine_IsSelectedByTheOriginalVariable()
    {
        var settings = Load(null, _dir, new Dictionary<string, string?> { ["DATASTREAM_LOG"] = "Kafka", ["KAFKA_BOOTSTRAP_SERVERS"] = "b1:9092" });
        Assert.Equal(LogEngine.Kafka, settings.LogEngine);
        Assert.Equal("b1:9092", settings.Kafka!.BootstrapServers);
        Assert.Equal(6, settings.Partitions);
        Assert.Contains("compute-cost", settings.Kafka.KnownGroups);
    }

    [Fact]
    public void PacingAndTheLakesByteCap_AreBindable()
    {
        var settings = Load(null, _dir, new Dictionary<string, string?>
        {
            ["DATASTREAM__ComputeCost__PollWait"] = "00:00:00.050",
            ["DATASTREAM__IndexAndExport__MinRetryDelay"] = "00:00:01",
            ["DATASTREAM__IndexAndExport__MaxRetryDelay"] = "00:00:05",
            ["DATASTREAM__Lake__MaxBytes"] = "1048576",
            ["DATASTREAM__Lake__Compression"] = "snappy",
        });
        Assert.Equal(TimeSpan.FromMilliseconds(50), settings.ComputeCost.PollWait);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), (settings.IndexAndExport.MinRetryDelay, settings.IndexAndExport.MaxRetryDelay));
        Assert.Equal(1_048_576, settings.Lake.MaxBytes);
        Assert.Equal(Lake.LakeCompression.Snappy, settings.Lake.Compression);
        Assert.Equal(Lake.LakeCompression.Zstd, Load(null, _dir, new Dictionary<string, string?>()).Lake.Compression);

        var error = Assert.Throws<UsageException>(() => Load(null, _dir, new Dictionary<string, string?> { ["DATASTREAM__ComputeCost__PollWait"] = "soon" }));
        Assert.Contains("ComputeCost:PollWait", error.Message);
    }

    [Fact]
    public void TheIndexWritersMemory_IsBindable()
    {
        var defaults = Load(null, _dir, new Dictionary<string, string?>());
        Assert.Equal(defaults.IndexAndExport.BatchSize, defaults.IndexAndExport.MaxUnindexedRides);
        Assert.Equal(Embedded.Index.EmbeddedIndexOptions.DefaultWriterCacheMebibytes, defaults.EmbeddedIndex!.WriterCacheMebibytes);

        var settings = Load(null, _dir, new Dictionary<string, string?>
        {
            ["DATASTREAM__IndexAndExport__MaxUnindexedRides"] = "50000",
            ["DATASTREAM__Index__WriterCacheMebibytes"] = "32",
        });
        Assert.Equal(50_000, settings.IndexAndExport.MaxUnindexedRides);
        Assert.Equal(32, settings.EmbeddedIndex!.WriterCacheMebibytes);
        Assert.Equal(Path.Combine(settings.DataDir, "index.db"), settings.EmbeddedIndex.DatabasePath);
    }

    [Fact]
    public void MissingConfigFile_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => Load(Path.Combine(_dir, "nope.json"), _dir, new Dictionary<string, string?>()));
        Assert.Contains("nope.json", error.Message);
    }

    [Fact]
    public void ElasticsearchIndex_IsSelectedByTheOriginalVariables()
    {
        var settings = Load(null, _dir, new Dictionary<string, string?>
        {
            ["DATASTREAM_INDEX"] = "Elasticsearch",
            ["ELASTICSEARCH_URL"] = "https://es1:9200, https://es2:9200",
            ["ELASTICSEARCH_INDEX"] = "rides-prod",
            ["ELASTICSEARCH_API_KEY"] = "a2V5",
        });

        Assert.Equal(IndexEngine.Elasticsearch, settings.IndexEngine);
        var es = settings.Elasticsearch!;
        Assert.Equal([new Uri("https://es1:9200"), new Uri("https://es2:9200")], es.Nodes);
        Assert.Equal("rides-prod", es.IndexName);
        Assert.Equal("a2V5", es.ApiKey);
        Assert.Null(es.Username);
        Assert.Null(Load(null, _dir, new Dictionary<string, string?>()).Elasticsearch);
    }

    [Fact]
    public void ElasticsearchSecrets_ComeFromTheEnvironmentOrTheFilesItNames_NeverFromAConfigFile()
    {
        string passwordFile = Path.Combine(_dir, "es-password");
        File.WriteAllText(passwordFile, "from-file\n");
        string caFile = Path.Combine(_dir, "http_ca.crt");
        File.WriteAllText(caFile, "-----BEGIN CERTIFICATE-----");
        string config = Path.Combine(_dir, "appsettings.json");
        File.WriteAllText(config, """{"Elasticsearch":{"Url":"http://es:9200","Username":"datastream","Password":"from-config","ApiKey":"from-config"}}""");

        var fromFile = Load(config, _dir, new Dictionary<string, string?>
        {
            ["DATASTREAM_INDEX"] = "elasticsearch",
            ["ELASTICSEARCH_PASSWORD_FILE"] = passwordFile,
            ["ELASTICSEARCH_CA_FILE"] = caFile,
        }).Elasticsearch!;
        var fromVariable = Load(config, _dir, new Dictionary<string, string?>
        {
            ["DATASTREAM_INDEX"] = "elasticsearch",
            ["ELASTICSEARCH_PASSWORD"] = "from-env",
            ["ELASTICSEARCH_PASSWORD_FILE"] = passwordFile,
        }).Elasticsearch!;

        Assert.Equal(("datastream", "from-file", (string?)null), (fromFile.Username, fromFile.Password, fromFile.ApiKey));
        Assert.Equal(caFile, fromFile.CaCertificateFile);
        Assert.Equal([new Uri("http://es:9200")], fromFile.Nodes);
        Assert.Equal("rides", fromFile.IndexName);
        Assert.Equal("from-env", fromVariable.Password);

        string keyFile = Path.Combine(_dir, "es-api-key");
        File.WriteAllText(keyFile, "a2V5LWZpbGU=\n");
        var apiKey = Load(null, _dir, new Dictionary<string, string?>
        {
            ["DATASTREAM_INDEX"] = "elasticsearch",
            ["ELASTICSEARCH_URL"] = "http://es:9200",
            ["ELASTICSEARCH_API_KEY_FILE"] = keyFile,
        }).Elasticsearch!;
        Assert.Equal("a2V5LWZpbGU=", apiKey.ApiKey);
    }

    [Theory]
    [InlineData("ELASTICSEARCH_URL=", "ELASTICSEARCH_URL")]
    [InlineData("ELASTICSEARCH_URL=es:9200", "ELASTICSEARCH_URL")]
    [InlineData("ELASTICSEARCH_API_KEY_FILE=/nonexistent/es-key", "ELASTICSEARCH_API_KEY_FILE")]
    [InlineData("ELASTICSEARCH_PASSWORD_FILE=/nonexistent/es-password", "ELASTICSEARCH_PASSWORD_FILE")]
    [InlineData("ELASTICSEARCH_CA_FILE=/nonexistent/http_ca.crt", "ELASTICSEARCH_CA_FILE")]
    [InlineData("ELASTICSEARCH_API_KEY=k;ELASTICSEARCH_USERNAME=u;ELASTICSEARCH_PASSWORD=p", "ELASTICSEARCH_API_KEY and ELASTICSEARCH_USERNAME")]
    [InlineData("ELASTICSEARCH_USERNAME=u", "ELASTICSEARCH_PASSWORD")]
    [InlineData("ELASTICSEARCH_PASSWORD=p", "ELASTICSEARCH_USERNAME")]
    [InlineData("ELASTICSEARCH_INDEX=orders", "'orders'")]
    [InlineData("DATASTREAM_INDEX=solr", "DATASTREAM_INDEX")]
    public void ElasticsearchMisconfiguration_IsAOneLineUsageErrorNamingTheVariable(string variables, string named)
    {
        var environment = new Dictionary<string, string?> { ["DATASTREAM_INDEX"] = "elasticsearch", ["ELASTICSEARCH_URL"] = "http://es:9200" };
        foreach (string pair in variables.Split(';'))
        {
            environment[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
        }

        var error = Assert.Throws<UsageException>(() => Load(null, _dir, environment));

        Assert.Contains(named, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
