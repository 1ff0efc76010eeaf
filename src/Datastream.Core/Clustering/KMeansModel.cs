using Datastream.Core.Rides;

namespace Datastream.Core.Clustering;

/// <summary>
/// A trained KMeans model (SPEC §4): centroids in degrees and the standardization they were trained in. Assigning a
/// ride's origin to the nearest centroid in standardized space is pure arithmetic, so it lives in Core and the
/// warehouse SQL can be checked against it.
/// </summary>
public sealed record KMeansModel(Standardization Standardization, IReadOnlyList<Centroid> Centroids, KMeansTraining Training)
{
    /// <summary>The id (1..k) of the centroid nearest to <paramref name="point"/> in standardized space; ties go to the lower id.</summary>
    public int Assign(GeoPoint point)
    {
        var (x, y) = Standardization.Apply(point);
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        foreach (var centroid in Centroids)
        {
            var (cx, cy) = Standardization.Apply(new GeoPoint(centroid.Lat, centroid.Lon));
            double d = (x - cx) * (x - cx) + (y - cy) * (y - cy);
            if (d < bestDistance || (d == bestDistance && centroid.Id < best))
            {
                best = centroid.Id;
                bestDistance = d;
            }
        }

        return best;
    }
}
