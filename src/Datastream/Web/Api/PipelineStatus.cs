namespace Datastream.Web.Api;

/// <summary>One pipeline as /api/pipelines and the pipelines page show it.</summary>
public sealed record PipelineStatus(
    string Name,
    IReadOnlyList<string> Tasks,
    IReadOnlyList<IReadOnlyList<string>> Stages,
    string Input,
    IReadOnlyList<string> Outputs,
    string State,
    bool Paused,
    long Consumed,
    long Produced,
    long Dlq,
    long Indexed,
    long LakeRows,
    long LakeFiles,
    long Batches,
    long FailedBatches,
    double RecordsPerSecond,
    long Lag,
    IReadOnlyList<PartitionLagStatus> Partitions,
    double LatencyP50Ms,
    double LatencyP99Ms,
    string? LastError);

public sealed record PartitionLagStatus(string Topic, int Partition, long Position, long EndOffset, long Lag);
