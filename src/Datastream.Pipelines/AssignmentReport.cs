using Datastream.Pipelines.Log;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines;

/// <summary>Logs when the group moves partitions to or from a member: the trace of a scale-out or a takeover.</summary>
public sealed partial class AssignmentReport(string pipeline, ILogger logger)
{
    private HashSet<TopicPartition> _last = [];
    private long _generation;

    /// <summary>
    /// Logs a change of the partition set; returns true when the assignment changed in any way since the last call,
    /// a partition lost and claimed again included: what was polled or held before may be another member's work now.
    /// </summary>
    public bool Update(ILogConsumer consumer)
    {
        long generation = consumer.AssignmentGeneration;
        if (generation == _generation)
        {
            return false;
        }

        _generation = generation;
        var current = consumer.Assignment.ToHashSet();
        if (!current.SetEquals(_last))
        {
            _last = current;
            string list = string.Join(",", current.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition));
            LogAssignment(logger, pipeline, TaskNames.ConsumeKafka, list);
        }

        return true;
    }

    [LoggerMessage(1005, LogLevel.Information, "{Pipeline} {Task} owns partitions [{Partitions}]")]
    private static partial void LogAssignment(ILogger logger, string pipeline, string task, string partitions);
}
