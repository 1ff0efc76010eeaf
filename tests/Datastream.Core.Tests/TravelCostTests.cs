using System.Text.Json;
using Datastream.Core.Pricing;

namespace Datastream.Core.Tests;

public sealed class TravelCostTests
{
    [Theory]
    [InlineData(0.675, 0.68)]
    [InlineData(1.005, 1.01)]
    [InlineData(2.675, 2.68)]
    [InlineData(0.125, 0.13)]
    [InlineData(0.674, 0.67)]
    [InlineData(10, 10)]
    public void Price_rounds_decimal_midpoints_away_from_zero(double priceBase, double expected)
        => Assert.Equal(expected, TravelCost.PriceTotal(0, 0, priceBase, 0, 0));

    [Fact]
    public void Price_uses_the_rounded_distance()
    {
        // 1.0005 km rounds to 1.001 (away from zero), × 5 = 5.005 → 5.01; the raw distance would give 5.0025 → 5.00.
        Assert.Equal(5.01, TravelCost.PriceTotal(TravelCost.RoundDistanceKm(1.0005000001), 0, 0, 5, 0));
    }

    [Fact]
    public void Price_adds_base_distance_and_duration()
        => Assert.Equal(2.0 + 10 * 1.1 + 30 * 0.3, TravelCost.PriceTotal(10, 30, 2.0, 1.1, 0.3), 9);

    [Fact]
    public void Midpoint_base_price_in_a_record_gives_068()
    {
        JsonElement result = Transform.Accepted(RawRide.Valid()
            .With("price_base", "0.675").With("duration_min", "0").With("price_per_km", "0")
            .With("destination", """{"lat":40.7484,"lon":-73.9857}""").Json);
        Assert.Equal(0, result.GetProperty("distance_km").GetDouble());
        Assert.Equal(0.68, result.GetProperty("price_total").GetDouble());
    }

    [Fact]
    public void Huge_amounts_do_not_overflow()
    {
        JsonElement result = Transform.Accepted(RawRide.Valid().With("price_base", "1e300").Json);
        Assert.Equal(1e300, result.GetProperty("price_total").GetDouble());
    }
}
