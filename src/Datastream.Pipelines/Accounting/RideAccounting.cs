using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Accounting;

/// <summary>
/// The original design's smoke test: once compute-cost has drained rides_raw, every raw record must be accounted for
/// by exactly one result in rides_result or one dead letter in rides_dlq. Works on any log engine through the port.
/// </summary>
public sealed class RideAccounting(ILog log, TopicNames topics)
{
    /// <param name="progress">Told the running count of the range being counted now and then (on Kafka, counting reads the topics).</param>
    public async Task<IReadOnlyList<TopicStats>> CollectAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var stats = new List<TopicStats>();
        foreach (string topic in new[] { topics.Raw, topics.Result, topics.Dlq })
        {
            var description = await log.DescribeTopicAsync(topic, cancellationToken) ?? throw new UnknownTopicException(topic);
            stats.Add(await TopicStats.CollectAsync(log, description, progress, cancellationToken));
        }

        return stats;
    }

    /// <summary>
    /// Problems found, each one line naming the difference; empty when every raw record is accounted for: once compute-cost
    /// has drained rides_raw, rides_raw's records = compute-cost's results + its dead letters. Its results are the records
    /// of rides_result but those index-and-export found were no results at all (dead letters from rides_result other
    /// than sink_rejected: bad records someone else wrote there), which <paramref name="deadLetters"/> tells apart.
    /// </summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<TopicStats> stats, DeadLetterTally deadLetters, TopicNames topics, string computeCostGroup)
    {
        var raw = stats.Single(s => s.Topic == topics.Raw);
        var result = stats.Single(s => s.Topic == topics.Result);
        var dlq = stats.Single(s => s.Topic == topics.Dlq);
        var problems = new List<string>();
        long lag = raw.LagOf(computeCostGroup);
        if (lag > 0)
        {
            problems.Add($"{computeCostGroup} has not drained {topics.Raw}: {lag} records not yet consumed");
        }

        if (deadLetters.Unreadable > 0)
        {
            problems.Add($"{deadLetters.Unreadable} records of {topics.Dlq} are not dead-letter envelopes");
        }

        if (raw.Truncated || result.Truncated || dlq.Truncated)
        {
            problems.Add("retention has deleted records, so the counts no longer cover the whole history");
        }

        // Records, not end offsets: on Kafka every transaction leaves a marker in each partition it wrote.
        long notResults = deadLetters.From(topics.Result, kind => kind != RejectionKind.SinkRejected);
        long results = result.Records - notResults;
        long rawDeadLetters = deadLetters.From(topics.Raw);
        long outputs = results + rawDeadLetters;
        string sum = $"{topics.Result} ({result.Records}{(notResults > 0 ? $" less {notResults} that were no results" : "")}) + {topics.Dlq} from {topics.Raw} ({rawDeadLetters}) = {outputs}";
        if (lag == 0 && outputs < raw.Records)
        {
            problems.Add($"{topics.Raw} has {raw.Records} records but {sum}: {raw.Records - outputs} missing");
        }
        else if (outputs > raw.Records)
        {
            problems.Add($"{topics.Raw} has {raw.Records} records but {sum}: {outputs - raw.Records} more outputs than inputs (duplicates, course-format records with several rides, or results replayed to {topics.Result})");
        }

        return problems;
    }
}
