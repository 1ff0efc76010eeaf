using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.Running;

public sealed partial class PipelineRunner
{
    [LoggerMessage(1001, LogLevel.Error, "{Pipeline}: batch failed, nothing committed past it; retrying in {Delay}")]
    private static partial void LogBatchFailed(ILogger logger, string pipeline, TimeSpan delay, Exception error);

    [LoggerMessage(1002, LogLevel.Warning, "{Pipeline}: {Message}; the batch of {Count} records is left to the new owner, re-reading from the committed offsets")]
    private static partial void LogPartitionsLost(ILogger logger, string pipeline, string message, int count);

    [LoggerMessage(1003, LogLevel.Warning, "{Pipeline}: commit before pausing failed ({Message}); that work will be read again")]
    private static partial void LogCommitBeforePauseFailed(ILogger logger, string pipeline, string message);

    [LoggerMessage(1004, LogLevel.Warning, "{Pipeline}: final commit failed ({Message}); that work will be read again on restart")]
    private static partial void LogFinalCommitFailed(ILogger logger, string pipeline, string message);

    [LoggerMessage(1008, LogLevel.Warning, "{Pipeline}: lag not refreshed ({Message}); the lag gauge keeps its last value")]
    private static partial void LogLagNotRefreshed(ILogger logger, string pipeline, string message);

    [LoggerMessage(1009, LogLevel.Warning, "{Pipeline}: rewind to the committed offsets failed ({Message}); it is tried again before the next poll")]
    private static partial void LogRewindFailed(ILogger logger, string pipeline, string message);

    [LoggerMessage(1010, LogLevel.Critical, "{Pipeline} died: the error is not retried")]
    private static partial void LogDied(ILogger logger, string pipeline, Exception error);
}
