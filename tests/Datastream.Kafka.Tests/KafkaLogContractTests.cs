using Datastream.Kafka.Testing;
using Datastream.Log.Testing;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka.Tests;

/// <summary>
/// The contract of the log port, on the Kafka adapter against librdkafka's mock cluster: one cluster for this class's
/// tests, each test on topics and groups of its own.
/// </summary>
public sealed class KafkaLogContractTests(MockKafkaCluster cluster) : LogContract, IClassFixture<MockKafkaCluster>
{
    protected override string ExpectedEngine => "kafka";

    protected override Task<ILog> OpenAsync()
    {
        var options = cluster.Options();
        // librdkafka fails records for a topic the cluster does not know only after topic.metadata.propagation.max.ms
        // (30 s by default, time for a just-created topic to reach every broker): 1 s keeps the missing-topic test short.
        // The mock creates topics before the test produces to them, so no other test waits on propagation.
        var extra = new Dictionary<string, string>(options.Extra) { ["topic.metadata.propagation.max.ms"] = "1000" };
        return Task.FromResult<ILog>(new KafkaLog(options with { Extra = extra }));
    }

    /// <summary>The mock does not implement CreateTopics: topics are made through its C API.</summary>
    protected override Task CreateTopicAsync(ILog log, TopicSpec spec)
    {
        cluster.CreateTopic(spec.Name, spec.Partitions, spec.ReplicationFactor);
        return Task.CompletedTask;
    }

    protected override string? WhyNot(LogPromise promise) => promise switch
    {
        LogPromise.CreatesTopics =>
            "librdkafka's mock cluster does not implement CreateTopics (the request times out): the adapter's CreateTopicsAsync runs only against a broker",
        LogPromise.UnitOfWorkStoresOffsets =>
            "librdkafka's mock cluster does not store offsets sent with SendOffsetsToTransaction (UnitOfWorkProtocolTests prove the adapter sends them)",
        LogPromise.AbandonedOutputsStayInvisible =>
            "librdkafka's mock cluster does not hide aborted records from read_committed consumers (UnitOfWorkProtocolTests prove the adapter aborts a failed unit; a broker hides what was aborted)",
        _ => null,
    };
}
