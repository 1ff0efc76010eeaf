using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Pricing;
using Datastream.Core.Rides;

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

    /// <summary>
    /// The double shortcut of PriceTotal must give the decimal result bit for bit. Inputs are drawn the way rides
    /// look (few decimals, so exact sums land on cent midpoints often) and as arbitrary doubles.
    /// </summary>
    [Fact]
    public void Price_equals_the_decimal_computation_on_millions_of_random_tariffs()
    {
        var random = new Random(20251030);
        int midpoints = 0;
        for (int i = 0; i < 3_000_000; i++)
        {
            bool arbitrary = i % 4 == 3;
            double km = arbitrary ? random.NextDouble() * Math.Pow(10, random.Next(-3, 4)) : Decimals(random, 100, 3);
            double minutes = arbitrary ? random.NextDouble() * 300 : Decimals(random, 300, random.Next(0, 3));
            double priceBase = arbitrary ? random.NextDouble() * 20 : Decimals(random, 20, random.Next(0, 4));
            double perKm = arbitrary ? random.NextDouble() * 5 : Decimals(random, 5, random.Next(0, 4));
            double perMin = arbitrary ? random.NextDouble() : Decimals(random, 1, random.Next(0, 4));
            decimal exact = (decimal)priceBase + (decimal)km * (decimal)perKm + (decimal)minutes * (decimal)perMin;
            if (decimal.Remainder(exact * 1000, 10) == 5)
            {
                midpoints++;
            }

            double expected = (double)Math.Round(exact, 2, MidpointRounding.AwayFromZero);
            double actual = TravelCost.PriceTotal(km, minutes, priceBase, perKm, perMin);
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
            {
                Assert.Fail($"PriceTotal({km:R}, {minutes:R}, {priceBase:R}, {perKm:R}, {perMin:R}) = {actual:R}, decimal gives {expected:R}");
            }
        }

        Assert.True(midpoints > 40_000, $"only {midpoints} exact cent midpoints were tried");
    }

    [Theory]
    [InlineData(-1.0, 0.675)]
    [InlineData(1.0, -0.675)]
    [InlineData(-0.0, -0.0)]
    [InlineData(0.0, 123456.785)]
    public void Price_with_negative_or_large_inputs_keeps_the_decimal_result(double km, double priceBase)
    {
        decimal exact = (decimal)priceBase + (decimal)km * 2.5m + 0m;
        double expected = (double)Math.Round(exact, 2, MidpointRounding.AwayFromZero);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(TravelCost.PriceTotal(km, 0, priceBase, 2.5, 0)));
    }

    private static double Decimals(Random random, int max, int decimals)
        => Math.Round(random.NextDouble() * max, decimals, MidpointRounding.AwayFromZero);

    [Fact]
    public void Huge_amounts_are_refused_at_their_limit()
        => Transform.AssertSchema(RawRide.Valid().With("price_base", "1e300").Json, "$.price_base", "must be at most 100000 (Limits:MaxPriceBase)");

    [Fact]
    public void A_total_that_overflows_is_a_schema_dead_letter_never_Infinity()
    {
        // Limits lifted as far as a double goes: 1e200 minutes at 1e200 per minute is Infinity, which is not JSON.
        var options = new ComputeCostOptions
        {
            Limits = new RideLimits { MaxDurationMin = double.MaxValue, MaxPricePerMin = double.MaxValue, MaxPriceTotal = double.MaxValue },
        };
        byte[] payload = RawRide.Valid().With("duration_min", "1e200").With("price_per_min", "1e200").Bytes;
        Rejection rejection = Transform.Rejected(payload, options);
        Assert.Equal((RejectionKind.Schema, "$.price_total"), (rejection.Kind, rejection.Path));
        Assert.Contains("Infinity", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_total_above_its_limit_names_price_total()
    {
        // 10,000 minutes at 100,000 per minute: each input within its limit, the total (1e9 + ...) above 1e9.
        byte[] payload = RawRide.Valid().With("duration_min", "10000").With("price_per_min", "100000").Bytes;
        Rejection rejection = Transform.Rejected(payload);
        Assert.Equal((RejectionKind.Schema, "$.price_total"), (rejection.Kind, rejection.Path));
        Assert.Contains("Limits:MaxPriceTotal", rejection.Message, StringComparison.Ordinal);
    }
}
