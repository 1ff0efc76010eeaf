using Datastream.Core.Rides;

namespace Datastream.Analytics.Tests;

public sealed class PickupClusteringTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Finds_known_centres_with_ids_counts_and_metrics_that_check_out(int k)
    {
        var centres = GaussianMixture.Centres(k);
        var points = GaussianMixture.Draw(centres, perCentre: 500, spread: 0.004, seed: k);

        var model = new PickupClustering().Train(points, new KMeansOptions { K = k, Restarts = 5 }, "mixture");

        foreach (var centre in centres)
        {
            double nearest = model.Centroids.Min(c => Math.Sqrt((c.Lat - centre.Lat) * (c.Lat - centre.Lat) + (c.Lon - centre.Lon) * (c.Lon - centre.Lon)));
            Assert.True(nearest < 0.001, $"no centroid within 0.001° of ({centre.Lat}, {centre.Lon}); nearest is {nearest}°");
        }

        Assert.Equal(Enumerable.Range(1, k), model.Centroids.Select(c => c.Id));
        Assert.Equal(points.Count, model.Centroids.Sum(c => c.Count));
        Assert.True(model.Centroids.Zip(model.Centroids.Skip(1)).All(p => p.First.Count >= p.Second.Count), "ids follow descending count");

        var (x, y) = IndependentScorer.Standardize(points);
        var (cx, cy) = IndependentScorer.CentroidsIn(points, model);
        Assert.Equal(IndependentScorer.MeanSquaredDistance(x, y, cx, cy), model.Training.MeanSquaredDistance, 1e-9);
        Assert.Equal(IndependentScorer.DaviesBouldin(x, y, cx, cy), model.Training.DaviesBouldinIndex, 1e-9);
        Assert.Equal(k, model.Training.K);
        Assert.Equal(points.Count, model.Training.Points);
        Assert.Equal("mixture", model.Training.Reference);
    }

    [Fact]
    public void Same_data_and_seed_give_the_same_model()
    {
        var points = NewYorkReference.Draw(count: 3000);
        var options = new KMeansOptions { Restarts = 3 };

        var first = new PickupClustering().Train(points, options, NewYorkReference.Name);
        var second = new PickupClustering().Train(points, options, NewYorkReference.Name);

        Assert.Equal(first.Centroids, second.Centroids);
        Assert.Equal(first.Standardization, second.Standardization);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(51)]
    public void Rejects_k_outside_2_to_50(int k)
    {
        var points = NewYorkReference.Draw(count: 100);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PickupClustering().Train(points, new KMeansOptions { K = k }, "x"));
    }

    [Fact]
    public void Rejects_fewer_points_than_clusters()
    {
        GeoPoint[] points = [new(40.7, -74.0), new(40.8, -73.9)];
        Assert.Throws<ArgumentException>(() => new PickupClustering().Train(points, new KMeansOptions { K = 3 }, "x"));
    }
}
