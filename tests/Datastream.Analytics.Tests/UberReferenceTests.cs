using System.Diagnostics;
using Datastream.Core.Reference;

namespace Datastream.Analytics.Tests;

/// <summary>Step 4 acceptance: on the course's uber-split2.csv the trained model is as good as a best-of-20 k-means++ Lloyd.</summary>
public sealed class UberReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void Mean_squared_distance_is_within_two_percent_of_best_of_20_lloyd()
    {
        string path = SharedData.PathOf("uber-split2.csv");
        List<Core.Rides.GeoPoint> points;
        using (var reader = new StreamReader(path))
        {
            points = ReferencePickupReader.Read(reader, path);
        }

        var watch = Stopwatch.StartNew();
        var model = new PickupClustering().Train(points, new KMeansOptions { K = 8 }, "uber-split2.csv");
        watch.Stop();

        var (x, y) = IndependentScorer.Standardize(points);
        var (cx, cy) = IndependentScorer.CentroidsIn(points, model);
        double modelMsd = IndependentScorer.MeanSquaredDistance(x, y, cx, cy);
        double referenceMsd = ReferenceLloyd.BestMeanSquaredDistance(x, y, k: 8, seeds: 20);

        output.WriteLine($"points {points.Count}, training {watch.Elapsed.TotalSeconds:F3} s (k=8, {model.Training.Restarts} restarts)");
        output.WriteLine($"model MSD {modelMsd:F6} (reported {model.Training.MeanSquaredDistance:F6}), DBI {model.Training.DaviesBouldinIndex:F6}, best-of-20 Lloyd MSD {referenceMsd:F6}, ratio {modelMsd / referenceMsd:F4}");
        Assert.Equal(2957, points.Count);
        Assert.True(modelMsd <= referenceMsd * 1.02, $"model MSD {modelMsd} is more than 2% above the best-of-20 reference {referenceMsd}");
        Assert.Equal(modelMsd, model.Training.MeanSquaredDistance, 1e-9);
    }
}
