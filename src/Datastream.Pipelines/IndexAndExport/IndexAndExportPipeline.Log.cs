using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.IndexAndExport;

public sealed partial class IndexAndExportPipeline
{
    [LoggerMessage(1201, LogLevel.Information, "{Pipeline} started: {Consume} {Result} → {Transform} → {Index} ({IndexEngine}) + {Lake} ({LakeLocation})")]
    private static partial void LogStarted(ILogger logger, string pipeline, string consume, string result, string transform, string index, string indexEngine, string lake, string lakeLocation);

    [LoggerMessage(1202, LogLevel.Information, "{Pipeline} stopped after {Consumed} records: {Indexed} indexed, {LakeRows} lake rows in {LakeFiles} files, {Dlq} dead letters")]
    private static partial void LogStopped(ILogger logger, string pipeline, long consumed, long indexed, long lakeRows, long lakeFiles, long dlq);

    [LoggerMessage(1203, LogLevel.Debug, "{Pipeline} dead letter {Topic}[{Partition}]@{Offset} ride {ride_id}: {Rejection}")]
    private static partial void LogDeadLetter(ILogger logger, string pipeline, string topic, int partition, long offset, Guid? ride_id, Rejection rejection);

    [LoggerMessage(1204, LogLevel.Warning, "{Pipeline} {Task}: unexpected error on {Topic}[{Partition}]@{Offset} ride {ride_id}, sent to {Dlq} as internal")]
    private static partial void LogInternalError(ILogger logger, string pipeline, string task, string topic, int partition, long offset, Guid? ride_id, string dlq, Exception error);

    [LoggerMessage(1205, LogLevel.Warning, "{Pipeline} {Task}: ride {ride_id} rejected by the index for good, sent to {Dlq}: {Reason}")]
    private static partial void LogRejectedByIndex(ILogger logger, string pipeline, string task, Guid ride_id, string dlq, string reason);

    [LoggerMessage(1206, LogLevel.Information, "{Pipeline} {Task}: recovered the lake staging of {Partition} at committed offset {Offset}: published {Published} files a crash left after the commit, removed {Removed} files of uncommitted or fenced writers")]
    private static partial void LogLakeRecovered(ILogger logger, string pipeline, string task, TopicPartition partition, long? offset, int published, int removed);
}
