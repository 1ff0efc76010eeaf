namespace Datastream.Pipelines.Running;

/// <summary>What one batch gave.</summary>
/// <param name="Produced">Records written to the pipeline's output (compute-cost: results; index-and-export: valid rides).</param>
/// <param name="DeadLettersByKind">Dead letters written, indexed by RejectionKind.</param>
/// <param name="Committed">True when the batch was committed with its output (compute-cost); false when it is held for a later commit.</param>
public readonly record struct BatchOutcome(long Produced, long[] DeadLettersByKind, bool Committed);
