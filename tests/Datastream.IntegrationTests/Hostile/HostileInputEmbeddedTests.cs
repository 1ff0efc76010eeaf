namespace Datastream.IntegrationTests.Hostile;

/// <summary>Issue 11 acceptance on the embedded log: the hostile corpus drains through both pipelines, nothing stalls or is lost.</summary>
public sealed class HostileInputEmbeddedTests
{
    [Fact]
    public async Task RawCorpus_ComputeCostThenIndexAndExport_EveryOffsetEndsOnceAsExpected()
    {
        await using var log = await HostileLog.EmbeddedAsync();
        await HostileScenario.CorpusThroughBothPipelinesAsync(log);
    }

    [Fact]
    public async Task InjectedIntoResults_IndexAndExport_IndexesOrDeadLettersEachOnce()
    {
        await using var log = await HostileLog.EmbeddedAsync();
        await HostileScenario.CorpusInjectedIntoResultsAsync(log);
    }
}
