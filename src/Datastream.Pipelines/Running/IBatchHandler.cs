using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Running;

/// <summary>
/// What a pipeline adds to the <see cref="PipelineRunner"/>: what to do with a polled batch, and how to settle the work
/// it holds between batches. One is opened per run, on the run's consumer; disposing it ends the run.
/// </summary>
public interface IBatchHandler : IAsyncDisposable
{
    /// <summary>
    /// Handles one batch. Bad records must not throw (they are dead letters); an exception fails the batch, and the
    /// runner then <see cref="Discard"/>s what is held, rewinds to the committed offsets and retries with backoff.
    /// </summary>
    ValueTask<BatchOutcome> HandleAsync(IReadOnlyList<LogRecord> records, CancellationToken stop);

    /// <summary>Whether the work held since the last commit should be committed now (index-and-export: the lake rolls).</summary>
    bool IsCommitDue(DateTime nowUtc);

    /// <summary>
    /// Makes the held work durable and commits the offsets it came from; a no-op when nothing is held. Returns the
    /// dead letters, by RejectionKind, that only the commit found (index-and-export: refusals of index writes still in
    /// flight), or null.
    /// </summary>
    ValueTask<long[]?> CommitAsync();

    /// <summary>Drops the held, uncommitted work: the runner re-reads it from the committed offsets.</summary>
    void Discard();
}
