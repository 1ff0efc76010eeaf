using Datastream.Cli;
using Datastream.Configuration;

namespace Datastream.Tests;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "ds-settings-" + Guid.NewGuid().ToString("N"));

    public SettingsLoaderTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Defaults_AreTheEmbeddedEngineAndTheDesignsTopicNames()
    {
        var settings = SettingsLoader.Load(null, dir, new Dictionary<string, string?>());
        Assert.Equal(LogEngine.Embedded, settings.LogEngine);
        Assert.Equal(("rides_raw", "rides_result", "rides_dlq"), (settings.Topics.Raw, settings.Topics.Result, settings.Topics.Dlq));
        Assert.Equal(Path.GetFullPath(dir), settings.DataDir);
        Assert.Equal(65536, settings.ComputeCost.Transform.MaxMessageBytes);
        Assert.Equal(1.1, settings.Tariffs.Medium.PerKm);
    }

    [Fact]
    public void Layers_FileThenEnvironmentFileThenVariablesThenCommandLine()
    {
        string file = Path.Combine(dir, "appsettings.json");
        File.WriteAllText(file, """{"Topics":{"Raw":"from_file","Result":"result_file"},"ComputeCost":{"BatchSize":10},"DataDir":"/tmp/from-file"}""");
        File.WriteAllText(Path.Combine(dir, "appsettings.Staging.json"), """{"Topics":{"Result":"result_staging"},"ComputeCost":{"BatchSize":20}}""");
        var environment = new Dictionary<string, string?>
        {
            ["DATASTREAM_ENVIRONMENT"] = "Staging",
            ["DLQ_TOPIC"] = "dlq_env",
            ["DATASTREAM__ComputeCost__BatchSize"] = "30",
        };

        var settings = SettingsLoader.Load(file, "/tmp/from-cli", environment);

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
    public void BadValues_AreUsageErrorsNamingTheKey(string variable, string value, string key)
    {
        var error = Assert.Throws<UsageException>(() => SettingsLoader.Load(null, dir, new Dictionary<string, string?> { [variable] = value }));
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void KafkaEngine_IsSelectedByTheOriginalVariable()
    {
        var settings = SettingsLoader.Load(null, dir, new Dictionary<string, string?> { ["DATASTREAM_LOG"] = "Kafka", ["KAFKA_BOOTSTRAP_SERVERS"] = "b1:9092" });
        Assert.Equal(LogEngine.Kafka, settings.LogEngine);
        Assert.Equal("b1:9092", settings.Kafka!.BootstrapServers);
        Assert.Equal(6, settings.Partitions);
        Assert.Contains("compute-cost", settings.Kafka.KnownGroups);
    }

    [Fact]
    public void MissingConfigFile_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => SettingsLoader.Load(Path.Combine(dir, "nope.json"), dir, new Dictionary<string, string?>()));
        Assert.Contains("nope.json", error.Message);
    }
}
