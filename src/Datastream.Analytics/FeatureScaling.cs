using Datastream.Core.Clustering;
using Datastream.Core.Rides;

namespace Datastream.Analytics;

/// <summary>
/// Fits the z-score standardization of (longitude, latitude) on training points. Uses the sample standard
/// deviation (n - 1): BigQuery ML's ML.STANDARD_SCALER documents [1,2,3,4,5] → ±1.2649 for 1 and 5, i.e. 2 / √2.5,
/// which is the sample, not the population, deviation.
/// </summary>
public static class FeatureScaling
{
    public static Standardization Fit(IReadOnlyList<GeoPoint> points)
    {
        if (points.Count < 2)
        {
            throw new ArgumentException("standardization needs at least two points", nameof(points));
        }

        double meanLat = 0, meanLon = 0;
        foreach (var p in points)
        {
            meanLat += p.Lat;
            meanLon += p.Lon;
        }

        meanLat /= points.Count;
        meanLon /= points.Count;

        double sumLat = 0, sumLon = 0;
        foreach (var p in points)
        {
            sumLat += (p.Lat - meanLat) * (p.Lat - meanLat);
            sumLon += (p.Lon - meanLon) * (p.Lon - meanLon);
        }

        double stdLat = Math.Sqrt(sumLat / (points.Count - 1));
        double stdLon = Math.Sqrt(sumLon / (points.Count - 1));
        if (stdLat == 0 || stdLon == 0)
        {
            throw new ArgumentException("all training points share a latitude or a longitude: the features cannot be standardized", nameof(points));
        }

        return new Standardization(meanLon, stdLon, meanLat, stdLat);
    }
}
