using Datastream.Core.Pricing;

namespace Datastream.Core.Generation;

public sealed record RideGeneratorOptions
{
    public TariffTable Tariffs { get; init; } = TariffTable.Default;

    /// <summary>Share of generated records that are invalid, spread over every DLQ kind (0..1).</summary>
    public double InvalidRatio { get; init; }

    /// <summary>The size limit the pipeline enforces; too_large records are made just above it.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;
}
