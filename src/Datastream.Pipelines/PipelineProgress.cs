using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines;

/// <summary>What a running pipeline has done so far; read concurrently by the host (summary, status, metrics).</summary>
public sealed partial class PipelineProgress
{
    private readonly long[] dlqByKind = new long[Enum.GetValues<RejectionKind>().Length];
    private long consumed;
    private long produced;
    private long dlq;
    private long batches;
    private long failedBatches;
    private long indexed;
    private long lakeRows;
    private long lakeFiles;
    private volatile IReadOnlyList<PartitionLag> lag = [];
    private long lagRefreshedAt;

    public PipelineState State { get; internal set; } = PipelineState.Starting;
    public long Consumed => Interlocked.Read(ref consumed);
    public long Produced => Interlocked.Read(ref produced);
    public long Dlq => Interlocked.Read(ref dlq);
    public long Batches => Interlocked.Read(ref batches);
    public long FailedBatches => Interlocked.Read(ref failedBatches);
    /// <summary>Rides written to the index (index-and-export).</summary>
    public long Indexed => Interlocked.Read(ref indexed);

    /// <summary>Rows and files made visible in the lake (index-and-export).</summary>
    public long LakeRows => Interlocked.Read(ref lakeRows);

    public long LakeFiles => Interlocked.Read(ref lakeFiles);

    /// <summary>A record's log timestamp → its output committed: datastream_event_latency_seconds, kept for p50/p99.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>
    /// index-and-export: a ride's ts → indexed, the whole way through both pipelines (the producer stamps ts when it
    /// sends the ride): what `run` reports as its latency.
    /// </summary>
    public LatencyHistogram RideToIndexed { get; } = new();
    public string? LastError { get; internal set; }

    /// <summary>The latest per-partition lag the pipeline observed.</summary>
    public IReadOnlyList<PartitionLag> Lag => lag;

    public long DlqOf(RejectionKind kind) => Interlocked.Read(ref dlqByKind[(int)kind]);

    internal void AddBatch(long consumedRecords, long producedRecords, ReadOnlySpan<long> dlqCounts)
    {
        Interlocked.Add(ref consumed, consumedRecords);
        Interlocked.Add(ref produced, producedRecords);
        long dlqTotal = 0;
        for (int i = 0; i < dlqCounts.Length; i++)
        {
            Interlocked.Add(ref dlqByKind[i], dlqCounts[i]);
            dlqTotal += dlqCounts[i];
        }

        Interlocked.Add(ref dlq, dlqTotal);
        Interlocked.Increment(ref batches);
    }

    internal void AddIndexed(long count) => Interlocked.Add(ref indexed, count);

    internal void AddLakeFlush(long rows, long files)
    {
        Interlocked.Add(ref lakeRows, rows);
        Interlocked.Add(ref lakeFiles, files);
    }

    /// <summary>Holds the pipeline while <paramref name="pause"/> is on, keeping its lag current; false when stopped meanwhile.</summary>
    internal async Task<bool> WaitWhilePausedAsync(string pipeline, PauseSwitch pause, ILogConsumer consumer, ILogger logger, CancellationToken stop)
    {
        var before = State;
        State = PipelineState.Paused;
        LogPaused(logger, pipeline);
        bool resumed = await pause.WaitUntilResumedAsync(TimeSpan.FromSeconds(1), () => RefreshLagAsync(consumer, now: true), stop);
        State = before == PipelineState.Paused ? PipelineState.Running : before;
        if (resumed)
        {
            LogResumed(logger, pipeline);
        }

        return resumed;
    }

    internal void AddFailedBatch() => Interlocked.Increment(ref failedBatches);

    /// <summary>
    /// Asks the consumer for its lag and keeps it for the metrics and the host; while busy at most once a second
    /// (it is a query to the log), always when <paramref name="now"/> is true (an idle check needs fresh figures).
    /// </summary>
    internal async Task<IReadOnlyList<PartitionLag>> RefreshLagAsync(ILogConsumer consumer, bool now)
    {
        if (now || System.Diagnostics.Stopwatch.GetElapsedTime(lagRefreshedAt) > TimeSpan.FromSeconds(1))
        {
            lag = await consumer.GetLagAsync(CancellationToken.None);
            lagRefreshedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        return lag;
    }

    [LoggerMessage(1006, LogLevel.Information, "{Pipeline} paused")]
    private static partial void LogPaused(ILogger logger, string pipeline);

    [LoggerMessage(1007, LogLevel.Information, "{Pipeline} resumed")]
    private static partial void LogResumed(ILogger logger, string pipeline);
}
