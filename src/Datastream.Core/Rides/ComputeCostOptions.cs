namespace Datastream.Core.Rides;

public sealed record ComputeCostOptions
{
    /// <summary>Records larger than this go to the DLQ with kind too_large (SPEC §3.1).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Plausibility limits (SPEC §3.1): a value outside them is a schema dead letter naming the field.</summary>
    public RideLimits Limits { get; init; } = RideLimits.Default;
}
