namespace Datastream.Analytics.Tests;

public sealed class AssignTests
{
    [Fact]
    public void Assign_agrees_with_an_independent_nearest_centroid()
    {
        var training = NewYorkReference.Draw(count: 5000);
        var model = new PickupClustering().Train(training, new KMeansOptions { Restarts = 2 }, NewYorkReference.Name);
        var (cx, cy) = IndependentScorer.CentroidsIn(training, model);
        var (x, y) = IndependentScorer.Standardize(training);

        // Scored on the training points themselves so both sides standardize with the same mean and deviation.
        for (int i = 0; i < training.Count; i++)
        {
            Assert.Equal(IndependentScorer.Nearest(x[i], y[i], cx, cy) + 1, model.Assign(training[i]));
        }
    }
}
