using Datastream.Core.Dlq;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.ComputeCost;

public sealed partial class ComputeCostPipeline
{
    [LoggerMessage(1101, LogLevel.Information, "{Pipeline} started: {Consume} {Raw} → {Compute} → {Publish} {Result} / {Dlq}")]
    private static partial void LogStarted(ILogger logger, string pipeline, string consume, string raw, string compute, string publish, string result, string dlq);

    [LoggerMessage(1102, LogLevel.Information, "{Pipeline} stopped after {Consumed} records: {Produced} results, {Dlq} dead letters")]
    private static partial void LogStopped(ILogger logger, string pipeline, long consumed, long produced, long dlq);

    [LoggerMessage(1103, LogLevel.Debug, "{Pipeline} dead letter {Topic}[{Partition}]@{Offset} ride {ride_id}: {Rejection}")]
    private static partial void LogDeadLetter(ILogger logger, string pipeline, string topic, int partition, long offset, Guid? ride_id, Rejection rejection);

    [LoggerMessage(1104, LogLevel.Warning, "{Pipeline} {Task}: unexpected error on {Topic}[{Partition}]@{Offset} ride {ride_id}, sent to {Dlq} as internal")]
    private static partial void LogInternalError(ILogger logger, string pipeline, string task, string topic, int partition, long offset, Guid? ride_id, string dlq, Exception error);
}
