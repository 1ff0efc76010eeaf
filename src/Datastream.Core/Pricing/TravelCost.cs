namespace Datastream.Core.Pricing;

/// <summary>Rounding rules of ComputeCostTravel (SPEC §3.3).</summary>
public static class TravelCost
{
    private const double DecimalSafeLimit = 1e15;

    // The double shortcut of PriceTotal: totals below this many cents, at least this far from a cent midpoint.
    private const double ShortcutMaxCents = 1e7;
    private const double ShortcutMidpointMargin = 1e-6;

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

        if (TryRoundToCents(naive, roundedDistanceKm, durationMin, priceBase, pricePerKm, pricePerMin, out double price))
        {
            return price;
        }

        decimal total = (decimal)priceBase + (decimal)roundedDistanceKm * (decimal)pricePerKm + (decimal)durationMin * (decimal)pricePerMin;
        return (double)Math.Round(total, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// The decimal result without decimal arithmetic (~100 ns), when the double sum cannot round differently.
    /// The decimal path reads each double to 15 significant digits (relative change ≤ 5e-15), so with
    /// non-negative terms the double total is within ~1.1e-14 × total of the decimal one: 1.1e-7 cents below
    /// 1e7 cents. Farther than 1e-6 cents from a midpoint x.xx5, both round to the same cent; nearer, say no.
    /// </summary>
    private static bool TryRoundToCents(double naive, double roundedDistanceKm, double durationMin, double priceBase, double pricePerKm, double pricePerMin,
        out double price)
    {
        price = 0;
        double cents = naive * 100;
        if (!(cents >= 0 && cents < ShortcutMaxCents)
            || !(priceBase >= 0 && roundedDistanceKm >= 0 && pricePerKm >= 0 && durationMin >= 0 && pricePerMin >= 0))
        {
            return false;
        }

        long whole = (long)cents;
        double fraction = cents - whole;
        if (Math.Abs(fraction - 0.5) <= ShortcutMidpointMargin)
        {
            return false;
        }

        // A long, not a double, so that a total of -0.0 still comes out as 0 like the decimal path.
        long rounded = fraction > 0.5 ? whole + 1 : whole;
        price = rounded / 100.0;
        return true;
    }
}
