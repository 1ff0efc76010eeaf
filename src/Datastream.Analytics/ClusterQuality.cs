namespace Datastream.Analytics;

/// <summary>
/// ML.EVALUATE's KMeans metrics, computed in standardized space from the nearest-centroid assignment.
/// Computed here rather than taken from Microsoft.ML's Clustering.Evaluate: measured on uber-split2.csv, its
/// AverageDistance is this mean *squared* distance (0.435967 both) and its Davies-Bouldin agrees to ~1e-6, but it
/// works in float, needs a scoring pass through an IDataView, and would score each restart with the code under test.
/// </summary>
public sealed record ClusterQuality(double MeanSquaredDistance, double DaviesBouldinIndex, long[] Counts)
{
    /// <summary>Assigns each point to its nearest centroid (ties to the lower index) and measures the result.</summary>
    public static ClusterQuality Measure(ReadOnlySpan<(double X, double Y)> points, IReadOnlyList<(double X, double Y)> centroids)
    {
        int k = centroids.Count;
        var counts = new long[k];
        var distanceSums = new double[k];
        double squaredSum = 0;
        foreach (var (x, y) in points)
        {
            int best = 0;
            double bestSquared = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                double dx = x - centroids[c].X, dy = y - centroids[c].Y;
                double squared = dx * dx + dy * dy;
                if (squared < bestSquared)
                {
                    best = c;
                    bestSquared = squared;
                }
            }

            counts[best]++;
            distanceSums[best] += Math.Sqrt(bestSquared);
            squaredSum += bestSquared;
        }

        double meanSquared = points.Length == 0 ? 0 : squaredSum / points.Length;
        return new ClusterQuality(meanSquared, DaviesBouldin(centroids, counts, distanceSums), counts);
    }

    // Average over clusters of the worst ratio (s_i + s_j) / d(c_i, c_j), s = mean distance of a cluster's points to
    // its centroid. Empty clusters have no scatter and are skipped, as they are absent from ML.EVALUATE's input.
    private static double DaviesBouldin(IReadOnlyList<(double X, double Y)> centroids, long[] counts, double[] distanceSums)
    {
        var used = Enumerable.Range(0, centroids.Count).Where(c => counts[c] > 0).ToArray();
        if (used.Length < 2)
        {
            return 0;
        }

        double total = 0;
        foreach (int i in used)
        {
            double si = distanceSums[i] / counts[i];
            double worst = 0;
            foreach (int j in used)
            {
                if (j == i)
                {
                    continue;
                }

                double sj = distanceSums[j] / counts[j];
                double dx = centroids[i].X - centroids[j].X, dy = centroids[i].Y - centroids[j].Y;
                worst = Math.Max(worst, (si + sj) / Math.Sqrt(dx * dx + dy * dy));
            }

            total += worst;
        }

        return total / used.Length;
    }
}
