using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Accounting;

/// <summary>
/// The original design's smoke test: once compute-cost has drained rides_raw, every raw record must be accounted for
/// by exactly one record in rides_result or rides_dlq. Works on any log engine through the port.
/// </summary>
public sealed class RideAccounting(ILog log, TopicNames topics)
{
    public async Task<IReadOnlyList<TopicStats>> CollectAsync(CancellationToken cancellationToken)
    {
        var stats = new List<TopicStats>();
        foreach (string topic in new[] { topics.Raw, topics.Result, topics.Dlq })
        {
            var description = await log.DescribeTopicAsync(topic, cancellationToken) ?? throw new UnknownTopicException(topic);
            stats.Add(new TopicStats(topic, description.Partitions));
        }

        return stats;
    }

    /// <summary>Problems found, each one line naming the difference; empty when every raw record is accounted for.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<TopicStats> stats, TopicNames topics, string computeCostGroup)
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

        if (raw.Truncated || result.Truncated || dlq.Truncated)
        {
            problems.Add("retention has deleted records, so the counts no longer cover the whole history; compare offsets instead");
        }

        // End offsets count every record ever written, retained or not.
        long outputs = result.EndOffsets + dlq.EndOffsets;
        if (lag == 0 && outputs < raw.EndOffsets)
        {
            problems.Add($"{topics.Raw} has {raw.EndOffsets} records but {topics.Result} ({result.EndOffsets}) + {topics.Dlq} ({dlq.EndOffsets}) = {outputs}: {raw.EndOffsets - outputs} missing");
        }
        else if (outputs > raw.EndOffsets)
        {
            problems.Add($"{topics.Raw} has {raw.EndOffsets} records but {topics.Result} ({result.EndOffsets}) + {topics.Dlq} ({dlq.EndOffsets}) = {outputs}: {outputs - raw.EndOffsets} more outputs than inputs (duplicates, course-format records with several rides, or sink_rejected dead letters)");
        }

        return problems;
    }
}
