using Datastream.Kafka.Testing;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// Issue 11 acceptance on Kafka (librdkafka's mock cluster): the same corpus and checks as on the embedded log, with
/// transactions, six partitions for results and dead letters, and the producer's message size limit in play.
/// </summary>
public sealed class HostileInputKafkaTests(MockKafkaCluster cluster) : IClassFixture<MockKafkaCluster>
{
    [Fact]
    public async Task RawCorpus_ComputeCostThenIndexAndExport_EveryOffsetEndsOnceAsExpected()
    {
        await using var log = HostileLog.Kafka(cluster, "hostile-raw", resultPartitions: 6);
        await HostileScenario.CorpusThroughBothPipelinesAsync(log);
    }

    [Fact]
    public async Task InjectedIntoResults_IndexAndExport_IndexesOrDeadLettersEachOnce()
    {
        await using var log = HostileLog.Kafka(cluster, "hostile-res", resultPartitions: 1);
        await HostileScenario.CorpusInjectedIntoResultsAsync(log);
    }
}
