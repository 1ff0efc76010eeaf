using Datastream.Core.Rides;

namespace Datastream.Core.Generation;

/// <summary>
/// The built-in pickup generator used when no reference CSV is given: a mixture of Gaussian hotspots over
/// New York City, weighted roughly like the 2014 Uber pickups, so that clustering has real structure to find.
/// </summary>
public sealed class NewYorkPickups(Random random) : IPickupSource
{
    // (lat, lon, spread in degrees, weight)
    private static readonly (double Lat, double Lon, double Spread, double Weight)[] Hotspots =
    [
        (40.7549, -73.9840, 0.012, 0.26), // Midtown
        (40.7233, -73.9985, 0.010, 0.16), // SoHo / Lower East Side
        (40.7075, -74.0113, 0.006, 0.08), // Financial District
        (40.7736, -73.9566, 0.010, 0.10), // Upper East Side
        (40.7870, -73.9754, 0.010, 0.07), // Upper West Side
        (40.6928, -73.9903, 0.014, 0.08), // Downtown Brooklyn
        (40.7146, -73.9565, 0.010, 0.08), // Williamsburg
        (40.6441, -73.7822, 0.008, 0.07), // JFK
        (40.7769, -73.8740, 0.005, 0.05), // LaGuardia
        (40.8116, -73.9465, 0.012, 0.05), // Harlem
    ];

    private static readonly double TotalWeight = Hotspots.Sum(h => h.Weight);

    public GeoPoint Next()
    {
        double pick = random.NextDouble() * TotalWeight;
        foreach (var h in Hotspots)
        {
            pick -= h.Weight;
            if (pick <= 0)
            {
                return new GeoPoint(h.Lat + Gaussian() * h.Spread, h.Lon + Gaussian() * h.Spread * 1.3);
            }
        }

        var last = Hotspots[^1];
        return new GeoPoint(last.Lat, last.Lon);
    }

    private double Gaussian()
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
