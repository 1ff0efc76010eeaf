using Datastream.Core.Rides;

namespace Datastream.Core.Pricing;

/// <summary>Great-circle distance on a sphere of radius 6371.0 km (SPEC §3.3).</summary>
public static class Haversine
{
    public const double EarthRadiusKm = 6371.0;
    private const double DegreesToRadians = Math.PI / 180.0;

    public static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        double lat1 = a.Lat * DegreesToRadians;
        double lat2 = b.Lat * DegreesToRadians;
        double sinDLat = Math.Sin((lat2 - lat1) / 2);
        double sinDLon = Math.Sin((b.Lon - a.Lon) * DegreesToRadians / 2);
        double h = sinDLat * sinDLat + Math.Cos(lat1) * Math.Cos(lat2) * sinDLon * sinDLon;
        // Clamp: rounding can push h a hair above 1 for antipodes, and Asin would return NaN.
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(Math.Min(1.0, h)));
    }
}
