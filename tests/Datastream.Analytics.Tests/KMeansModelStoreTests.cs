namespace Datastream.Analytics.Tests;

public sealed class KMeansModelStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "datastream-kmeans-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Round_trips_the_model_and_its_training_metadata()
    {
        var model = new PickupClustering().Train(NewYorkReference.Draw(count: 2000), new KMeansOptions { K = 5, Restarts = 2 }, NewYorkReference.Name);
        var store = new KMeansModelStore(_directory);

        store.Save(model);
        var loaded = store.Load();

        Assert.NotNull(loaded);
        Assert.Equal(Path.Combine(_directory, "analytics", "kmeans.json"), store.FilePath);
        Assert.Equal(model.Standardization, loaded.Standardization);
        Assert.Equal(model.Centroids, loaded.Centroids);
        Assert.Equal(model.Training, loaded.Training);
    }

    [Fact]
    public void Missing_file_loads_as_null()
    {
        Assert.Null(new KMeansModelStore(_directory).Load());
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{}")]
    [InlineData("{\"Format\":1,\"Model\":{\"Standardization\":{\"MeanLon\":0,\"StdLon\":0,\"MeanLat\":0,\"StdLat\":0},\"Centroids\":[],\"Training\":null}}")]
    public void Corrupt_file_throws_naming_the_file(string content)
    {
        var store = new KMeansModelStore(_directory);
        Directory.CreateDirectory(Path.GetDirectoryName(store.FilePath)!);
        File.WriteAllText(store.FilePath, content);

        var error = Assert.Throws<InvalidDataException>(() => store.Load());
        Assert.Contains(store.FilePath, error.Message);
    }
}
