using Datastream.Core.Dlq;

namespace Datastream.Configuration;

/// <summary>DeadLetters: the largest dead-letter envelope; beyond it the payload is truncated (SPEC §3.5).</summary>
public sealed class DeadLettersOptions
{
    public int MaxBytes { get; set; } = DlqEnvelope.DefaultMaxBytes;

    /// <summary>DeadLetters:PageCacheBytes: memory the web app's dead-letters page keeps the newest dead letters in; the oldest go first.</summary>
    public long PageCacheBytes { get; set; } = DefaultPageCacheBytes;

    /// <summary>64 MiB: tens of thousands of typical dead letters, or 64 at the default largest envelope.</summary>
    public const long DefaultPageCacheBytes = 64L * 1024 * 1024;
}
