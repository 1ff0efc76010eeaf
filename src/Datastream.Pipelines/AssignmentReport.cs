using Datastream.Pipelines.Log;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines;

/// <summary>Logs when the group moves partitions to or from a member: the trace of a scale-out or a takeover.</summary>
public sealed partial class AssignmentReport(string pipeline, ILogger logger)
{
    private HashSet<TopicPartition> _last = [];

    /// <summary>Logs a change; returns the partitions this member lost since the last call.</summary>
    public IReadOnlyList<TopicPartition> Update(ILogConsumer consumer)
    {
        var current = consumer.Assignment.ToHashSet();
        if (current.SetEquals(_last))
        {
            return [];
        }

        var lost = _last.Where(p => !current.Contains(p)).ToList();
        _last = current;
        string list = string.Join(",", current.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition));
        LogAssignment(logger, pipeline, TaskNames.ConsumeKafka, list);
        return lost;
    }

    [LoggerMessage(1005, LogLevel.Information, "{Pipeline} {Task} owns partitions [{Partitions}]")]
    private static partial void LogAssignment(ILogger logger, string pipeline, string task, string partitions);
}
