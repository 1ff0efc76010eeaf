using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines;

/// <summary>What a running pipeline has done so far; read concurrently by the host (summary, status, metrics).</summary>
public sealed partial class PipelineProgress
{
    private readonly long[] _dlqByKind = new long[Enum.GetValues<RejectionKind>().Length];
    private long _consumed;
    private long _produced;
    private long _dlq;
    private long _batches;
    private long _failedBatches;
    private long _indexed;
    private long _lakeRows;
    private long _lakeFiles;
    private volatile IReadOnlyList<PartitionLag> _lag = [];
    private long _lagRefreshedAt;

    public PipelineState State { get; internal set; } = PipelineState.Starting;
    public long Consumed => Interlocked.Read(ref _consumed);
    public long Produced => Interlocked.Read(ref _produced);
    public long Dlq => Interlocked.Read(ref _dlq);
    public long Batches => Interlocked.Read(ref _batches);
    public long FailedBatches => Interlocked.Read(ref _failedBatches);
    /// <summary>Rides written to the index (index-and-export).</summary>
    public long Indexed => Interlocked.Read(ref _indexed);

    /// <summary>Rows and files made visible in the lake (index-and-export).</summary>
    public long LakeRows => Interlocked.Read(ref _lakeRows);

    public long LakeFiles => Interlocked.Read(ref _lakeFiles);

    /// <summary>A record's log timestamp → its output committed: datastream_event_latency_seconds, kept for p50/p99.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>
    /// index-and-export: a ride's ts → indexed, the whole way through both pipelines (the producer stamps ts when it
    /// sends the ride): what `run` reports as its latency.
    /// </summary>
    public LatencyHistogram RideToIndexed { get; } = new();

    /// <summary>Wall time per stage of the pipeline (poll, transform, index, ...), for the cost of each per record.</summary>
    public StageTimes Stages { get; } = new();
    public string? LastError { get; internal set; }

    /// <summary>The latest per-partition lag the pipeline observed.</summary>
    public IReadOnlyList<PartitionLag> Lag => _lag;

    public long DlqOf(RejectionKind kind) => Interlocked.Read(ref _dlqByKind[(int)kind]);

    internal void AddBatch(long consumedRecords, long producedRecords, ReadOnlySpan<long> dlqCounts)
    {
        Interlocked.Add(ref _consumed, consumedRecords);
        Interlocked.Add(ref _produced, producedRecords);
        AddDeadLetters(dlqCounts);
        Interlocked.Increment(ref _batches);
    }

    internal void AddDeadLetters(ReadOnlySpan<long> dlqCounts)
    {
        long dlqTotal = 0;
        for (int i = 0; i < dlqCounts.Length; i++)
        {
            Interlocked.Add(ref _dlqByKind[i], dlqCounts[i]);
            dlqTotal += dlqCounts[i];
        }

        Interlocked.Add(ref _dlq, dlqTotal);
    }

    internal void AddIndexed(long count) => Interlocked.Add(ref _indexed, count);

    internal void AddLakeFlush(long rows, long files)
    {
        Interlocked.Add(ref _lakeRows, rows);
        Interlocked.Add(ref _lakeFiles, files);
    }

    /// <summary>Holds the pipeline while <paramref name="pause"/> is on, keeping its lag current with <paramref name="refreshLag"/>; false when stopped meanwhile.</summary>
    internal async Task<bool> WaitWhilePausedAsync(string pipeline, PauseSwitch pause, Func<Task> refreshLag, ILogger logger, CancellationToken stop)
    {
        var before = State;
        State = PipelineState.Paused;
        LogPaused(logger, pipeline);
        bool resumed = await pause.WaitUntilResumedAsync(TimeSpan.FromSeconds(1), refreshLag, stop);
        State = before == PipelineState.Paused ? PipelineState.Running : before;
        if (resumed)
        {
            LogResumed(logger, pipeline);
        }

        return resumed;
    }

    internal void AddFailedBatch() => Interlocked.Increment(ref _failedBatches);

    /// <summary>
    /// Asks the consumer for its lag and keeps it for the metrics and the host; while busy at most once a second
    /// (it is a query to the log), always when <paramref name="now"/> is true (an idle check needs fresh figures).
    /// </summary>
    internal async Task<IReadOnlyList<PartitionLag>> RefreshLagAsync(ILogConsumer consumer, bool now)
    {
        if (now || System.Diagnostics.Stopwatch.GetElapsedTime(_lagRefreshedAt) > TimeSpan.FromSeconds(1))
        {
            _lag = await consumer.GetLagAsync(CancellationToken.None);
            _lagRefreshedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        return _lag;
    }

    [LoggerMessage(1006, LogLevel.Information, "{Pipeline} paused")]
    private static partial void LogPaused(ILogger logger, string pipeline);

    [LoggerMessage(1007, LogLevel.Information, "{Pipeline} resumed")]
    private static partial void LogResumed(ILogger logger, string pipeline);
}
