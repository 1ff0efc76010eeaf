using System.Text.Json;

namespace Datastream.IntegrationTests;

/// <summary>Step 4 through the CLI: the KMeans model and revenue per cluster and comfort over the lake.</summary>
public sealed class AnalyticsEndToEndTests
{
    [Fact]
    public async Task AfterARun_RevenuePerComfort_EqualsTheSumsOverTheLake()
    {
        using var dir = new TemporaryDirectory();
        string summary = await ComputeCostEndToEndTests.Ok(dir, "run", "--count", "6000", "--rate", "0", "--no-web", "--json", "--seed", "12");
        string json = await ComputeCostEndToEndTests.Ok(dir, "analytics", "revenue", "--format", "json");

        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        var files = await LakeReader.ReadAsync(dir.File("lake"));
        var lake = files.SelectMany(f => f.Comforts.Zip(f.PriceTotals)).GroupBy(p => p.First).ToDictionary(g => g.Key, g => (Sum: g.Sum(p => p.Second), Count: g.Count()));
        var reported = rows.GroupBy(r => r.GetProperty("comfort").GetString()!).ToDictionary(g => g.Key,
            g => (Sum: g.Sum(r => r.GetProperty("revenue").GetDouble()), Count: g.Sum(r => r.GetProperty("n").GetInt64())));
        Assert.Equal(lake.Keys.Order(), reported.Keys.Order());
        foreach (var (comfort, expected) in lake)
        {
            Assert.Equal(expected.Count, reported[comfort].Count);
            Assert.Equal(expected.Sum, reported[comfort].Sum, expected.Sum * 1e-9);
        }

        Assert.All(rows, r => Assert.InRange(r.GetProperty("cluster_id").GetInt32(), 1, 8));
        Assert.Equal(rows.Select(r => r.GetProperty("revenue").GetDouble()).OrderDescending(), rows.Select(r => r.GetProperty("revenue").GetDouble()));
        // run includes the same report in its summary.
        Assert.Equal(6000, JsonDocument.Parse(summary).RootElement.GetProperty("revenue").EnumerateArray().Sum(r => r.GetProperty("n").GetInt64()));
    }

    [Fact]
    public async Task Train_OnTheCourseReference_PrintsKCentroidsWithIdsOneToK()
    {
        string reference = SharedData.PathOf("uber-split2.csv");
        using var dir = new TemporaryDirectory();
        string json = await ComputeCostEndToEndTests.Ok(dir, "analytics", "train", "--reference", reference, "--k", "8", "--json");
        var model = JsonDocument.Parse(json).RootElement;
        Assert.Equal(8, model.GetProperty("k").GetInt32());
        var centroids = model.GetProperty("centroids").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 8), centroids.Select(c => c.GetProperty("id").GetInt32()));
        Assert.Equal(2957, centroids.Sum(c => c.GetProperty("count").GetInt64()));
        Assert.True(model.GetProperty("mean_squared_distance").GetDouble() > 0);
        Assert.True(model.GetProperty("davies_bouldin_index").GetDouble() > 0);
        Assert.True(File.Exists(dir.File(Path.Combine("analytics", "kmeans.json"))));
    }
}
