using Datastream.Core.Clustering;
using Datastream.Core.Rides;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Datastream.Analytics;

/// <summary>
/// Trains the pickup KMeans with BigQuery ML's semantics (SPEC §4): (longitude, latitude) z-scored with the sample
/// standard deviation, k-means++ seeding through Microsoft.ML's trainer, several restarts keeping the lowest mean
/// squared distance, centroids returned in degrees with ids 1..k.
/// <para>
/// Id order: descending point count, then ascending latitude, then ascending longitude, so the same data and options
/// always give the same ids and id 1 is the busiest cluster.
/// </para>
/// <para>
/// Iterations: Microsoft.ML does not report how many Lloyd iterations it ran, so the model records the configured
/// MaxIterations as an upper bound rather than a made-up count.
/// </para>
/// </summary>
public sealed class PickupClustering
{
    public KMeansModel Train(IReadOnlyList<GeoPoint> points, KMeansOptions options, string referenceName)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (points.Count < options.K)
        {
            throw new ArgumentException($"{points.Count} points cannot make {options.K} clusters", nameof(points));
        }

        var standardization = FeatureScaling.Fit(points);
        var standardized = new (double X, double Y)[points.Count];
        var rows = new FeatureRow[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            standardized[i] = standardization.Apply(points[i]);
            rows[i] = new FeatureRow { Features = [(float)standardized[i].X, (float)standardized[i].Y] };
        }

        (double X, double Y)[]? bestCentroids = null;
        ClusterQuality? bestQuality = null;
        for (int restart = 0; restart < options.Restarts; restart++)
        {
            var centroids = TrainOnce(rows, options, options.Seed + restart);
            // Scored in double precision by our own assignment: that is what the model will be judged and used by.
            var quality = ClusterQuality.Measure(standardized, centroids);
            if (bestQuality is null || quality.MeanSquaredDistance < bestQuality.MeanSquaredDistance)
            {
                bestCentroids = centroids;
                bestQuality = quality;
            }
        }

        var ordered = Enumerable.Range(0, options.K)
            .Select(c => (Point: standardization.Revert(bestCentroids![c].X, bestCentroids[c].Y), Count: bestQuality!.Counts[c]))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Point.Lat)
            .ThenBy(c => c.Point.Lon)
            .Select((c, index) => new Centroid(index + 1, c.Point.Lat, c.Point.Lon, c.Count))
            .ToList();

        var training = new KMeansTraining(
            options.K,
            options.MaxIterations,
            options.Restarts,
            bestQuality!.MeanSquaredDistance,
            bestQuality.DaviesBouldinIndex,
            points.Count,
            referenceName,
            DateTime.UtcNow);
        return new KMeansModel(standardization, ordered, training);
    }

    private static (double X, double Y)[] TrainOnce(FeatureRow[] rows, KMeansOptions options, int seed)
    {
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(FeatureRow.Features),
            NumberOfClusters = options.K,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            MaximumNumberOfIterations = options.MaxIterations,
            // One thread: Microsoft.ML's parallel k-means++ seeding is not reproducible across runs.
            NumberOfThreads = 1,
        });
        var transformer = trainer.Fit(data);

        VBuffer<float>[] centroids = [];
        transformer.Model.GetClusterCentroids(ref centroids, out int k);
        var result = new (double X, double Y)[k];
        for (int c = 0; c < k; c++)
        {
            var values = centroids[c].DenseValues().ToArray();
            result[c] = (values[0], values[1]);
        }

        return result;
    }

    private sealed class FeatureRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }
}
