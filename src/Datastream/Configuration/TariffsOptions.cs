using Datastream.Core.Pricing;

namespace Datastream.Configuration;

/// <summary>Tariffs: what the producer stamps on generated rides per comfort level (SPEC §3.3).</summary>
public sealed class TariffsOptions
{
    public TariffOptions Low { get; set; } = TariffOptions.From(TariffTable.Default.Low);

    public TariffOptions Medium { get; set; } = TariffOptions.From(TariffTable.Default.Medium);

    public TariffOptions High { get; set; } = TariffOptions.From(TariffTable.Default.High);

    public IEnumerable<(string Level, TariffOptions Tariff)> Levels => [("Low", Low), ("Medium", Medium), ("High", High)];
}

/// <summary>Tariffs:&lt;Level&gt;: one comfort level's rates.</summary>
public sealed class TariffOptions
{
    public double Base { get; set; }

    public double PerKm { get; set; }

    public double PerMin { get; set; }

    public static TariffOptions From(Tariff tariff) => new() { Base = tariff.Base, PerKm = tariff.PerKm, PerMin = tariff.PerMin };

    public Tariff ToTariff() => new(Base, PerKm, PerMin);
}
