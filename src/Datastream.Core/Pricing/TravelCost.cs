namespace Datastream.Core.Pricing;

/// <summary>Rounding rules of ComputeCostTravel (SPEC §3.3).</summary>
public static class TravelCost
{
    private const double DecimalSafeLimit = 1e15;

    /// <summary>A haversine distance is irrational in practice, so it never sits on a decimal midpoint: double rounding is exact enough.</summary>
    public static double RoundDistanceKm(double km) => Math.Round(km, 3, MidpointRounding.AwayFromZero);

    /// <summary>
    /// price_base + distance_km × price_per_km + duration_min × price_per_min with the rounded distance, to cents.
    /// Computed in decimal: "midpoint away from zero" is a decimal notion, and in binary 0.675 sits just
    /// below its midpoint, so double rounding would give 0.67 where a person (or an auditor) expects 0.68.
    /// </summary>
    public static double PriceTotal(double roundedDistanceKm, double durationMin, double priceBase, double pricePerKm, double pricePerMin)
    {
        double naive = priceBase + roundedDistanceKm * pricePerKm + durationMin * pricePerMin;
        // decimal holds 28 digits; beyond ~1e15 cents no longer matter and the conversion would overflow.
        if (!(Math.Abs(naive) < DecimalSafeLimit) || Math.Max(Math.Max(priceBase, pricePerKm), Math.Max(pricePerMin, Math.Max(durationMin, roundedDistanceKm))) >= DecimalSafeLimit)
        {
            return Math.Round(naive, 2, MidpointRounding.AwayFromZero);
        }

        decimal total = (decimal)priceBase + (decimal)roundedDistanceKm * (decimal)pricePerKm + (decimal)durationMin * (decimal)pricePerMin;
        return (double)Math.Round(total, 2, MidpointRounding.AwayFromZero);
    }
}
