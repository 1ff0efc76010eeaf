using Datastream.Core.Dlq;

namespace Datastream.Configuration;

/// <summary>DeadLetters: the largest dead-letter envelope; beyond it the payload is truncated (SPEC §3.5).</summary>
public sealed class DeadLettersOptions
{
    public int MaxBytes { get; set; } = DlqEnvelope.DefaultMaxBytes;
}
