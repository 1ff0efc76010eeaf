namespace Datastream.Embedded.Index;

/// <summary>The net change one upsert call makes to one minute_stats row.</summary>
internal struct RollupDelta
{
    public long Count;
    public double SumDistanceKm;
    public double SumPriceTotal;

    public void Add(double distanceKm, double priceTotal)
    {
        Count++;
        SumDistanceKm += distanceKm;
        SumPriceTotal += priceTotal;
    }

    public void Subtract(double distanceKm, double priceTotal)
    {
        Count--;
        SumDistanceKm -= distanceKm;
        SumPriceTotal -= priceTotal;
    }

    /// <summary>A replay of identical values nets out exactly (x - x == 0), so its row need not be written at all.</summary>
    public readonly bool IsEmpty => Count == 0 && SumDistanceKm == 0 && SumPriceTotal == 0;
}
