using Datastream.Kafka.Testing;

namespace Datastream.IntegrationTests;

/// <summary>
/// The Step 1 checks with DATASTREAM_LOG=kafka against librdkafka's mock cluster (the only Kafka peer on this
/// machine; it lives in this test process and the CLI processes connect to it as to a real cluster).
/// </summary>
public sealed class KafkaEngineTests : IClassFixture<MockKafkaCluster>
{
    private readonly MockKafkaCluster cluster;

    public KafkaEngineTests(MockKafkaCluster cluster) => this.cluster = cluster;

    [Fact]
    public async Task FromFile_PipelineUntilIdle_Tail_GiveTheSameCorrectOutputAsEmbedded()
    {
        using var dir = new TempDataDir();
        var environment = KafkaEnvironment("fromfile");
        var file = MixedFile.Create(validCount: 300, seed: 11);
        file.WriteTo(dir.File("rides.jsonl"));

        await Ok(dir, environment, "produce", "--from-file", dir.File("rides.jsonl"));
        await Ok(dir, environment, "pipeline", "compute-cost", "--until-idle");
        string results = await Ok(dir, environment, "topics", "tail", environment["RESULT_TOPIC"], "--from-beginning");
        string dlq = await Ok(dir, environment, "topics", "tail", environment["DLQ_TOPIC"], "--from-beginning");

        file.AssertOutputs(results, dlq);
        string list = await Ok(dir, environment, "topics", "list");
        Assert.Contains(environment["RAW_TOPIC"], list);
    }

    /// <summary>Unique topics and group per test on the shared mock cluster, created through the mock's own API.</summary>
    private Dictionary<string, string> KafkaEnvironment(string name)
    {
        string prefix = $"{name}-{Guid.NewGuid():N}"[..20];
        var environment = new Dictionary<string, string>
        {
            ["DATASTREAM_LOG"] = "kafka",
            ["KAFKA_BOOTSTRAP_SERVERS"] = cluster.BootstrapServers,
            ["RAW_TOPIC"] = $"{prefix}-raw",
            ["RESULT_TOPIC"] = $"{prefix}-result",
            ["DLQ_TOPIC"] = $"{prefix}-dlq",
            ["DATASTREAM__ComputeCost__Group"] = $"{prefix}-compute-cost",
            // The mock crashes on ListGroups; short group timings keep rebalances quick.
            ["DATASTREAM__Kafka__DiscoverConsumerGroups"] = "false",
            ["DATASTREAM__Kafka__Extra__session.timeout.ms"] = "3000",
            ["DATASTREAM__Kafka__Extra__heartbeat.interval.ms"] = "500",
            ["DATASTREAM__Kafka__Extra__log_level"] = "3",
        };
        foreach (string topic in new[] { environment["RAW_TOPIC"], environment["RESULT_TOPIC"], environment["DLQ_TOPIC"] })
        {
            cluster.CreateTopic(topic, partitions: 6);
        }

        return environment;
    }

    private static async Task<string> Ok(TempDataDir dir, Dictionary<string, string> environment, params string[] args)
    {
        var (code, stdout, stderr) = await DatastreamProcess.RunAsync(dir.Path, args, TimeSpan.FromMinutes(3), environment);
        Assert.True(code == 0, $"datastream {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
