using Datastream.Core.Dlq;
using Datastream.Core.Rides;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.ComputeCost;

public sealed record ComputeCostSettings
{
    public TopicNames Topics { get; init; } = new();

    /// <summary>The consumer group; every instance of the pipeline joins it and they share the partitions.</summary>
    public string Group { get; init; } = "compute-cost";

    /// <summary>Records per unit of work: larger batches amortize the commit, smaller ones cut latency.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>Most key + value bytes per unit of work (ConsumerSpec.MaxPollBytes): bounds memory when records are large.</summary>
    public int MaxBatchBytes { get; init; } = ConsumerSpec.DefaultMaxPollBytes;

    /// <summary>How long a poll waits for records before the pipeline checks whether it is idle.</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Backoff after a failed batch: it doubles from this up to MaxRetryDelay, jittered (see Resilience.Backoff).</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public ComputeCostOptions Transform { get; init; } = new();

    /// <summary>The largest dead-letter envelope (DeadLetters:MaxBytes): beyond it the payload is truncated (SPEC §3.5).</summary>
    public int DeadLetterMaxBytes { get; init; } = DlqEnvelope.DefaultMaxBytes;
}
