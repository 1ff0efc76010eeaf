using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Accounting;

/// <summary>
/// The original design's smoke test: once compute-cost has drained rides_raw, every raw record must be accounted for
/// by exactly one record in rides_result or rides_dlq. Works on any log engine through the port.
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
            problems.Add("retention has deleted records, so the counts no longer cover the whole history");
        }

        // Records, not end offsets: on Kafka every transaction of compute-cost leaves a marker in each partition it wrote.
        long outputs = result.Records + dlq.Records;
        if (lag == 0 && outputs < raw.Records)
        {
            problems.Add($"{topics.Raw} has {raw.Records} records but {topics.Result} ({result.Records}) + {topics.Dlq} ({dlq.Records}) = {outputs}: {raw.Records - outputs} missing");
        }
        else if (outputs > raw.Records)
        {
            problems.Add($"{topics.Raw} has {raw.Records} records but {topics.Result} ({result.Records}) + {topics.Dlq} ({dlq.Records}) = {outputs}: {outputs - raw.Records} more outputs than inputs (duplicates, course-format records with several rides, or sink_rejected dead letters)");
        }

        return problems;
    }
}
