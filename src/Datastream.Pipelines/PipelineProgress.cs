using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;

namespace Datastream.Pipelines;

/// <summary>What a running pipeline has done so far; read concurrently by the host (summary, status, metrics).</summary>
public sealed class PipelineProgress
{
    private readonly long[] dlqByKind = new long[Enum.GetValues<RejectionKind>().Length];
    private long consumed;
    private long produced;
    private long dlq;
    private long batches;
    private long failedBatches;
    private volatile IReadOnlyList<PartitionLag> lag = [];

    public PipelineState State { get; internal set; } = PipelineState.Starting;
    public long Consumed => Interlocked.Read(ref consumed);
    public long Produced => Interlocked.Read(ref produced);
    public long Dlq => Interlocked.Read(ref dlq);
    public long Batches => Interlocked.Read(ref batches);
    public long FailedBatches => Interlocked.Read(ref failedBatches);
    public LatencyHistogram Latency { get; } = new();
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

    internal void AddFailedBatch() => Interlocked.Increment(ref failedBatches);

    internal void SetLag(IReadOnlyList<PartitionLag> latest) => lag = latest;
}
