namespace Datastream.Core.Rides;

public sealed record ComputeCostOptions
{
    /// <summary>Records larger than this go to the DLQ with kind too_large (SPEC §3.1).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;
}
