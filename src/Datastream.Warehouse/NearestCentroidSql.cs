using System.Globalization;
using System.Text;
using Datastream.Core.Clustering;
using Datastream.Core.Rides;

namespace Datastream.Warehouse;

/// <summary>
/// The assignments view for one model: <see cref="KMeansModel.Assign"/> as SQL expressions with the model's numbers in
/// them, one distance column per centroid. The numbers are written as strings DuckDB parses to the same double
/// (round-trip format; a bare decimal literal would be a DECIMAL and could round differently on its way to DOUBLE).
/// </summary>
internal static class NearestCentroidSql
{
    public static string AssignmentsView(KMeansModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Centroids.Count == 0)
        {
            throw new ArgumentException("The model has no centroids.", nameof(model));
        }

        var s = model.Standardization;
        // Ascending ids: the first centroid at the least distance is the one with the lowest id.
        var centroids = model.Centroids.OrderBy(c => c.Id).ToList();
        var distances = new StringBuilder();
        for (var i = 0; i < centroids.Count; i++)
        {
            // The same Apply as KMeansModel.Assign, so SQL and C# measure from bit-identical centroid coordinates.
            var (x, y) = s.Apply(new GeoPoint(centroids[i].Lat, centroids[i].Lon));
            distances.Append(i == 0 ? "" : ",\n        ")
                .Append(CultureInfo.InvariantCulture, $"(s.x - {Double(x)}) * (s.x - {Double(x)}) + (s.y - {Double(y)}) * (s.y - {Double(y)}) AS {Distance(i)}");
        }

        var least = "least(" + string.Join(", ", centroids.Select((_, i) => "d." + Distance(i))) + ")";
        var clusterId = new StringBuilder("CASE");
        for (var i = 0; i < centroids.Count; i++)
        {
            clusterId.Append(CultureInfo.InvariantCulture, $" WHEN d.{Distance(i)} = {least} THEN {centroids[i].Id}");
        }

        clusterId.Append(" END");
        return WarehouseSql.AssignmentsView
            .Replace("{x}", $"(r.origin_lon - {Double(s.MeanLon)}) / {Double(s.StdLon)}", StringComparison.Ordinal)
            .Replace("{y}", $"(r.origin_lat - {Double(s.MeanLat)}) / {Double(s.StdLat)}", StringComparison.Ordinal)
            .Replace("{distances}", distances.ToString(), StringComparison.Ordinal)
            .Replace("{cluster_id}", clusterId.ToString(), StringComparison.Ordinal);
    }

    private static string Distance(int index) => string.Create(CultureInfo.InvariantCulture, $"distance_{index + 1}");

    private static string Double(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"The model has a non-finite number ({value}).");
        }

        return "CAST('" + value.ToString("R", CultureInfo.InvariantCulture) + "' AS DOUBLE)";
    }
}
