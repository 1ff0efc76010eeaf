namespace Datastream.Pipelines.Producer;

/// <summary>When the producer stops and how fast it goes. Rate 0 means as fast as possible.</summary>
public sealed record ProduceLimits(long? Count, TimeSpan? Duration, double Rate)
{
    /// <summary>Most records sent in one append; small enough to keep latency low, large enough to amortize the commit.</summary>
    public int MaxBatch { get; init; } = 5000;
}
