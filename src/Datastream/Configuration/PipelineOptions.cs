using Datastream.Pipelines.Log;

namespace Datastream.Configuration;

/// <summary>ComputeCost / IndexAndExport: one pipeline's consumer group, batch and pacing.</summary>
public sealed class PipelineOptions
{
    /// <summary>The consumer group; every instance of the pipeline joins it and they share the partitions.</summary>
    public string Group { get; set; } = "";

    /// <summary>Records per unit of work: larger batches amortize the commit, smaller ones cut latency.</summary>
    public int BatchSize { get; set; }

    /// <summary>
    /// Most key + value bytes of one batch, whatever BatchSize says (a batch of large records stays bounded in memory); a
    /// record larger than this alone is still a batch of its own.
    /// </summary>
    public int MaxBatchBytes { get; set; } = ConsumerSpec.DefaultMaxPollBytes;

    /// <summary>ComputeCost:MaxMessageBytes: larger rides_raw records are too_large dead letters (compute-cost only).</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// IndexAndExport:MaxUnindexedRides (index-and-export only): rides handed to the index and not yet written beyond
    /// which the pipeline waits for it; unset, one batch (BatchSize). More lets the index write larger transactions
    /// while reading runs ahead, for the memory of the rides held; 0 waits for every write.
    /// </summary>
    public int? MaxUnindexedRides { get; set; }

    /// <summary>How long a poll waits for records before the pipeline checks whether it is idle (e.g. 00:00:00.200).</summary>
    public TimeSpan PollWait { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Backoff after a failed batch doubles from this up to MaxRetryDelay.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
