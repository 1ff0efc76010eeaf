using Datastream.Kafka.Testing;

namespace Datastream.IntegrationTests;

/// <summary>
/// The CLI's environment for DATASTREAM_LOG=kafka on the shared mock cluster: unique topics and groups per test,
/// created through the mock's own API (it cannot create topics through the admin API).
/// </summary>
public static class MockClusterEnvironment
{
    public static Dictionary<string, string> For(MockKafkaCluster cluster, string name, int rawPartitions = 6, int resultPartitions = 6, int dlqPartitions = 6)
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
            ["DATASTREAM__IndexAndExport__Group"] = $"{prefix}-index-and-export",
            // The mock crashes on ListGroups; short group timings keep rebalances quick.
            ["DATASTREAM__Kafka__DiscoverConsumerGroups"] = "false",
            ["DATASTREAM__Kafka__Extra__session.timeout.ms"] = "3000",
            ["DATASTREAM__Kafka__Extra__heartbeat.interval.ms"] = "500",
            ["DATASTREAM__Kafka__Extra__log_level"] = "3",
        };
        cluster.CreateTopic(environment["RAW_TOPIC"], rawPartitions);
        cluster.CreateTopic(environment["RESULT_TOPIC"], resultPartitions);
        cluster.CreateTopic(environment["DLQ_TOPIC"], dlqPartitions);
        return environment;
    }
}
