using Datastream.Core.Dlq;
using Datastream.Pipelines.Accounting;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Tests;

/// <summary>stats --check's ledger: rides_raw = compute-cost's results + its dead letters, whatever else rides_result holds.</summary>
public sealed class RideAccountingTests
{
    private static readonly TopicNames Topics = new();

    [Fact]
    public void Balanced_when_every_raw_record_is_a_result_or_a_raw_dead_letter()
    {
        var problems = Check(raw: 1000, result: 980, Tally((Topics.Raw, RejectionKind.Schema, 20)));

        Assert.Empty(problems);
    }

    [Fact]
    public void Bad_records_written_to_rides_result_by_someone_else_are_not_counted_as_results()
    {
        // 30 injected records, each dead-lettered by index-and-export; 5 real results refused by the index stay results.
        var problems = Check(raw: 1000, result: 1010, Tally(
            (Topics.Raw, RejectionKind.Schema, 20),
            (Topics.Result, RejectionKind.InvalidJson, 12),
            (Topics.Result, RejectionKind.Schema, 18),
            (Topics.Result, RejectionKind.SinkRejected, 5)));

        Assert.Empty(problems);
    }

    [Fact]
    public void A_result_or_dead_letter_twice_is_named_as_more_outputs_than_inputs()
    {
        var problems = Check(raw: 1000, result: 981, Tally((Topics.Raw, RejectionKind.Schema, 21), (Topics.Result, RejectionKind.Schema, 1)));

        var problem = Assert.Single(problems);
        Assert.Contains("1 more outputs than inputs", problem, StringComparison.Ordinal);
        Assert.Contains("less 1 that were no results", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_output_is_named_and_a_foreign_record_in_the_dlq_too()
    {
        var problems = Check(raw: 1000, result: 970, Tally((Topics.Raw, RejectionKind.Schema, 20)) with { Unreadable = 2 });

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("2 records of rides_dlq are not dead-letter envelopes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith(": 10 missing", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Check(long raw, long result, DeadLetterTally deadLetters)
    {
        long dlq = deadLetters.Counts.Values.Sum() + deadLetters.Unreadable;
        var drained = new Dictionary<string, long> { ["compute-cost"] = 0 };
        return RideAccounting.Check(
            [Stats(Topics.Raw, raw, drained), Stats(Topics.Result, result, new Dictionary<string, long>()), Stats(Topics.Dlq, dlq, new Dictionary<string, long>())],
            deadLetters, Topics, "compute-cost");
    }

    private static TopicStats Stats(string topic, long records, Dictionary<string, long> lags) =>
        new(topic, [new PartitionDescription(0, 0, records, new Dictionary<string, long>())], records, lags);

    private static DeadLetterTally Tally(params (string Topic, RejectionKind Kind, long Count)[] counts) =>
        new(counts.ToDictionary(c => (c.Topic, c.Kind), c => c.Count), Unreadable: 0);
}
