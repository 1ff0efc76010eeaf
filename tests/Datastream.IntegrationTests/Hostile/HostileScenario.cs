using System.Text.Json;
using Datastream.Embedded.Index;
using Datastream.Pipelines.Search;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// Issue 11's acceptance runs of the hostile corpus through the real CLI, the same on any log: the raw corpus through
/// compute-cost then index-and-export, and hostile records put straight into rides_result for index-and-export.
/// </summary>
internal static class HostileScenario
{
    /// <summary>
    /// Every raw record, each between two valid rides, through `pipeline compute-cost --until-idle` then
    /// `pipeline index-and-export --until-idle`: every raw offset ends in exactly one of rides_result and rides_dlq as
    /// the corpus says, and every result is then indexed, once, and in the lake once.
    /// </summary>
    public static async Task CorpusThroughBothPipelinesAsync(HostileLog log)
    {
        var sequence = ValidNeighbours.Around(HostileRecords.Create(DateTime.UtcNow), asResults: false, seed: 11);
        await log.ProduceAsync(log.Topics.Raw, sequence);
        await log.RunAsync("pipeline", "compute-cost", "--until-idle");

        var results = await log.ReadAllAsync(log.Topics.Result);
        var pricing = new HostileAudit(sequence, await log.ReadAllAsync(log.Topics.Raw));
        pricing.CheckDeadLetters(await log.ReadAllAsync(log.Topics.Dlq), "compute-cost", log.Topics.Raw);
        pricing.CheckResults(results);

        await log.RunAsync("pipeline", "index-and-export", "--until-idle");
        // Every result compute-cost wrote passed the same limits, so index-and-export must index each of them.
        var indexing = new HostileAudit(results.Select(AsIndexable).ToList(), results);
        indexing.CheckDeadLetters(await log.ReadAllAsync(log.Topics.Dlq), "index-and-export", log.Topics.Result);
        await CheckIndexAsync(log, indexing, results.Count);

        AssertNone([.. pricing.Failures, .. indexing.Failures]);
        await IndexAndExportEndToEndTests.AssertEachRideOnceAsync(log.Directory, results.Count);
    }

    /// <summary>
    /// Issue 11 item 6: hostile result-shaped records and the whole raw corpus, each between two valid results, put
    /// straight into rides_result; `pipeline index-and-export --until-idle` drains it, indexing or dead-lettering
    /// each record exactly once.
    /// </summary>
    public static async Task CorpusInjectedIntoResultsAsync(HostileLog log)
    {
        var now = DateTime.UtcNow;
        var injected = HostileResults.Create(now).Concat(HostileRecords.Create(now).Select(AsResultTopicInput)).ToList();
        var sequence = ValidNeighbours.Around(injected, asResults: true, seed: 12);
        await log.ProduceAsync(log.Topics.Result, sequence);
        await log.RunAsync("pipeline", "index-and-export", "--until-idle");

        var audit = new HostileAudit(sequence, await log.ReadAllAsync(log.Topics.Result));
        audit.CheckDeadLetters(await log.ReadAllAsync(log.Topics.Dlq), "index-and-export", log.Topics.Result);
        await CheckIndexAsync(log, audit, sequence.Count(r => r.Outcome.IsAccepted));
        AssertNone(audit.Failures);
    }

    /// <summary>A raw-format record has no distance_km or price_total: in rides_result it is always a dead letter (of whatever kind fits).</summary>
    private static HostileRecord AsResultTopicInput(HostileRecord raw) =>
        new($"raw corpus: {raw.Name}", raw.Bytes, HostileOutcome.DeadLetter(null, truncated: raw.Outcome.Truncated));

    private static HostileRecord AsIndexable(Pipelines.Log.LogRecord result)
    {
        using var document = JsonDocument.Parse(result.Value);
        var ride = ExpectedRide.OfResult(document.RootElement);
        return new HostileRecord($"result {ride.RideId} at {result.Partition}/{result.Offset}", result.Value, HostileOutcome.Accepted(ride));
    }

    private static async Task CheckIndexAsync(HostileLog log, HostileAudit audit, long expectedCount)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var index = new SqliteRideIndex(new EmbeddedIndexOptions(log.Directory.Path));
        await audit.CheckIndexedAsync(async id => (await index.SearchAsync(new RideQuery { RideId = id, Limit = 1 }, cancel)).Total > 0);
        long count = await index.CountAsync(cancel);
        if (count != expectedCount)
        {
            audit.Failures.Add($"the index holds {count} rides, expected {expectedCount}");
        }
    }

    private static void AssertNone(IReadOnlyList<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} discrepancies:\n" + string.Join('\n', failures));
}
