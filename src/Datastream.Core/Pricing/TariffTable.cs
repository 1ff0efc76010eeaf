using Datastream.Core.Rides;

namespace Datastream.Core.Pricing;

/// <summary>The tariff per comfort level that the producer stamps on generated rides.</summary>
public sealed record TariffTable(Tariff Low, Tariff Medium, Tariff High)
{
    public static TariffTable Default { get; } = new(
        new Tariff(1.50, 0.80, 0.20),
        new Tariff(2.00, 1.10, 0.30),
        new Tariff(3.00, 1.60, 0.45));

    public Tariff For(Comfort comfort) => comfort switch
    {
        Comfort.Low => Low,
        Comfort.Medium => Medium,
        Comfort.High => High,
        _ => throw new ArgumentOutOfRangeException(nameof(comfort), comfort, "unknown comfort level"),
    };
}
