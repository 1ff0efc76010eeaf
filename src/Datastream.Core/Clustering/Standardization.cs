using Datastream.Core.Rides;

namespace Datastream.Core.Clustering;

/// <summary>
/// The z-score scaling of the features (longitude, latitude) that BigQuery ML's KMeans applies: each feature minus its
/// mean over the training data, divided by its standard deviation.
/// </summary>
public sealed record Standardization(double MeanLon, double StdLon, double MeanLat, double StdLat)
{
    public (double X, double Y) Apply(GeoPoint point) => ((point.Lon - MeanLon) / StdLon, (point.Lat - MeanLat) / StdLat);

    public GeoPoint Revert(double x, double y) => new(y * StdLat + MeanLat, x * StdLon + MeanLon);
}
