using Datastream.Core.Clustering;
using Datastream.Core.Rides;

namespace Datastream.Analytics.Tests;

/// <summary>
/// Test-side recomputation of the standardization and of ML.EVALUATE's metrics, written without the production
/// code so the two can check each other.
/// </summary>
internal static class IndependentScorer
{
    public static (double[] X, double[] Y) Standardize(IReadOnlyList<GeoPoint> points)
    {
        int n = points.Count;
        double meanLon = points.Average(p => p.Lon), meanLat = points.Average(p => p.Lat);
        double sdLon = Math.Sqrt(points.Sum(p => (p.Lon - meanLon) * (p.Lon - meanLon)) / (n - 1));
        double sdLat = Math.Sqrt(points.Sum(p => (p.Lat - meanLat) * (p.Lat - meanLat)) / (n - 1));
        return (points.Select(p => (p.Lon - meanLon) / sdLon).ToArray(), points.Select(p => (p.Lat - meanLat) / sdLat).ToArray());
    }

    /// <summary>The model's centroids moved into the standardized space of <paramref name="points"/>, in id order.</summary>
    public static (double[] X, double[] Y) CentroidsIn(IReadOnlyList<GeoPoint> points, KMeansModel model)
    {
        int n = points.Count;
        double meanLon = points.Average(p => p.Lon), meanLat = points.Average(p => p.Lat);
        double sdLon = Math.Sqrt(points.Sum(p => (p.Lon - meanLon) * (p.Lon - meanLon)) / (n - 1));
        double sdLat = Math.Sqrt(points.Sum(p => (p.Lat - meanLat) * (p.Lat - meanLat)) / (n - 1));
        var ordered = model.Centroids.OrderBy(c => c.Id).ToArray();
        return (ordered.Select(c => (c.Lon - meanLon) / sdLon).ToArray(), ordered.Select(c => (c.Lat - meanLat) / sdLat).ToArray());
    }

    public static int Nearest(double x, double y, double[] cx, double[] cy)
    {
        int best = 0;
        for (int c = 1; c < cx.Length; c++)
        {
            if (Squared(x, y, cx[c], cy[c]) < Squared(x, y, cx[best], cy[best]))
            {
                best = c;
            }
        }

        return best;
    }

    public static double MeanSquaredDistance(double[] x, double[] y, double[] cx, double[] cy)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            int c = Nearest(x[i], y[i], cx, cy);
            sum += Squared(x[i], y[i], cx[c], cy[c]);
        }

        return sum / x.Length;
    }

    public static double DaviesBouldin(double[] x, double[] y, double[] cx, double[] cy)
    {
        int k = cx.Length;
        var members = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            members[Nearest(x[i], y[i], cx, cy)].Add(i);
        }

        var scatter = members.Select((m, c) => m.Count == 0 ? 0 : m.Average(i => Math.Sqrt(Squared(x[i], y[i], cx[c], cy[c])))).ToArray();
        var live = Enumerable.Range(0, k).Where(c => members[c].Count > 0).ToArray();
        return live.Average(i => live.Where(j => j != i).Max(j => (scatter[i] + scatter[j]) / Math.Sqrt(Squared(cx[i], cy[i], cx[j], cy[j]))));
    }

    public static double Squared(double x1, double y1, double x2, double y2) => (x1 - x2) * (x1 - x2) + (y1 - y2) * (y1 - y2);
}
