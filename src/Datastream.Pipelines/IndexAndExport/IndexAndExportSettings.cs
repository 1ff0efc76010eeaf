using Datastream.Core.Dlq;
using Datastream.Core.Rides;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.IndexAndExport;

public sealed record IndexAndExportSettings
{
    private readonly long? _maxUnindexedRides;

    public TopicNames Topics { get; init; } = new();

    /// <summary>The consumer group; every instance joins it and they share the partitions of rides_result.</summary>
    public string Group { get; init; } = "index-and-export";

    /// <summary>
    /// Records per batch. 10,000 rather than 20,000: a 4M-ride run's resident memory ~30 MB lower (the records in
    /// flight, and the lists and row groups of a batch no longer large arrays); 1-8 % fewer rides/s in three
    /// alternated passes, within this host's noise in each (docs/performance.md, session 9).
    /// </summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary>Most key + value bytes per batch (ConsumerSpec.MaxPollBytes): bounds memory when records are large.</summary>
    public int MaxBatchBytes { get; init; } = ConsumerSpec.DefaultMaxPollBytes;

    /// <summary>
    /// Rides handed to the index and not yet written (it writes behind the pipeline) beyond which the pipeline waits
    /// for it rather than reading on: bounds the memory the rides and their records hold while the index falls behind.
    /// By default one batch (<see cref="BatchSize"/>: a write running while the next batch is read); 50,000 held
    /// ~60,000 records (~30 MB with their rides) in a 4M-ride run, for no measurable speed (session 9).
    /// </summary>
    public long MaxUnindexedRides
    {
        get => _maxUnindexedRides ?? BatchSize;
        init => _maxUnindexedRides = value;
    }

    public TimeSpan PollWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Backoff after a failed batch: it doubles from this up to MaxRetryDelay, jittered (see Resilience.Backoff).</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The plausibility limits TransformJSON holds a result to, the same as compute-cost's (SPEC §3.1).</summary>
    public RideLimits Limits { get; init; } = RideLimits.Default;

    /// <summary>
    /// Dead letters wait for the commit of the offsets they belong to (they are produced in the same unit of work); once
    /// those held take this many bytes, the held work is committed without waiting for the lake to roll.
    /// </summary>
    public long HeldDeadLetterMaxBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Held work is committed at the latest this long after its first record, even without lake rows to roll.</summary>
    public TimeSpan MaxHoldTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The largest dead-letter envelope (DeadLetters:MaxBytes): beyond it the payload is truncated (SPEC §3.5).</summary>
    public int DeadLetterMaxBytes { get; init; } = DlqEnvelope.DefaultMaxBytes;
}
