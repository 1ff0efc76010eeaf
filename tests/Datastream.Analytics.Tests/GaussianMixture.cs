using Datastream.Core.Rides;

namespace Datastream.Analytics.Tests;

/// <summary>Well-separated Gaussian blobs around Manhattan with known centres, for checking that training finds them.</summary>
internal static class GaussianMixture
{
    // A grid two rows high, so both features carry structure: blobs on one line would leave the other feature as pure
    // noise, which z-scoring inflates to unit variance.
    public static GeoPoint[] Centres(int count) =>
        Enumerable.Range(0, count).Select(i => new GeoPoint(40.60 + 0.10 * (i % 2), -74.10 + 0.10 * (i / 2))).ToArray();

    public static List<GeoPoint> Draw(GeoPoint[] centres, int perCentre, double spread, int seed)
    {
        var random = new Random(seed);
        var points = new List<GeoPoint>();
        foreach (var centre in centres)
        {
            for (int i = 0; i < perCentre; i++)
            {
                points.Add(new GeoPoint(centre.Lat + Gaussian(random) * spread, centre.Lon + Gaussian(random) * spread));
            }
        }

        return points;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
