using System.Text.Json;
using Datastream.Embedded.Index;

namespace Datastream.IntegrationTests;

/// <summary>Step 3 through the real CLI: every priced ride is indexed once and lands in the hourly lake once.</summary>
public sealed class IndexAndExportEndToEndTests
{
    [Fact]
    public async Task Run_IndexedAndLakeRowsEqualResults_EachFileInTheHourOfItsRides()
    {
        using var dir = new TemporaryDirectory();
        string stdout = await ComputeCostEndToEndTests.Ok(dir, "run", "--count", "20000", "--rate", "0", "--invalid-ratio", "0.01", "--no-web", "--json", "--seed", "8");
        using var doc = JsonDocument.Parse(stdout);
        var s = doc.RootElement;
        long result = s.GetProperty("result").GetInt64();
        Assert.Equal(20000, result + s.GetProperty("dlq").GetInt64());
        Assert.Equal(result, s.GetProperty("indexed").GetInt64());
        Assert.Equal(result, s.GetProperty("lake_rows").GetInt64());
        Assert.True(s.GetProperty("latency_ms").GetProperty("p99").GetDouble() >= s.GetProperty("latency_ms").GetProperty("p50").GetDouble());

        // index-and-export's own section, like compute-cost's: a rate, the cost of each stage per ride, and the rate
        // over each quarter of the rides.
        var export = s.GetProperty("index_and_export");
        Assert.True(export.GetProperty("rides_per_second").GetDouble() > 0);
        var stages = export.GetProperty("stage_us_per_ride").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Subset(stages.ToHashSet(), new HashSet<string> { "poll", "flatten", "index", "lake_buffer", "lake_stage", "commit" });
        Assert.All(export.GetProperty("stage_us_per_ride").EnumerateObject(), p => Assert.True(p.Value.GetDouble() >= 0, p.Name));
        var quarters = export.GetProperty("rides_per_second_by_quarter").EnumerateArray().Select(q => q.GetDouble()).ToList();
        Assert.Equal(4, quarters.Count);
        Assert.All(quarters, q => Assert.True(q > 0));
        Assert.Contains("transform", s.GetProperty("compute_cost").GetProperty("stage_us_per_ride").EnumerateObject().Select(p => p.Name));

        await AssertEachRideOnceAsync(dir, result);
        Assert.Equal(s.GetProperty("lake_files").GetInt64(), (await LakeReader.ReadAsync(dir.File("lake"))).Count);
    }

    [Fact]
    public async Task Backfill_FromBeginning_RebuildsTheSameIndexAndLake()
    {
        using var dir = new TemporaryDirectory();
        await ComputeCostEndToEndTests.Ok(dir, "produce", "--count", "3000", "--seed", "2");
        await ComputeCostEndToEndTests.Ok(dir, "pipeline", "compute-cost", "--until-idle");
        await ComputeCostEndToEndTests.Ok(dir, "pipeline", "index-and-export", "--until-idle");
        await AssertEachRideOnceAsync(dir, 3000);

        // Different file boundaries on the rebuild: it must still leave each ride once.
        var environment = new Dictionary<string, string> { ["DATASTREAM__Lake__MaxRowsPerFile"] = "700", ["DATASTREAM__IndexAndExport__BatchSize"] = "300" };
        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["pipeline", "index-and-export", "--from-beginning", "--until-idle"], environment: environment);
        Assert.True(code == 0, stderr);
        Assert.Contains("consumed 3000 records", stderr);
        await AssertEachRideOnceAsync(dir, 3000);
    }

    /// <summary>The index holds <paramref name="expected"/> rides; the lake holds each of them in exactly one row, in the hour of its ts.</summary>
    internal static async Task AssertEachRideOnceAsync(TemporaryDirectory dir, long expected)
    {
        await using (var index = new SqliteRideIndex(new EmbeddedIndexOptions(dir.Path)))
        {
            Assert.Equal(expected, await index.CountAsync(TestContext.Current.CancellationToken));
            Assert.Equal(expected, (await index.SearchAsync(new Pipelines.Search.RideQuery { Limit = 1 }, TestContext.Current.CancellationToken)).Total);
        }

        var files = await LakeReader.ReadAsync(dir.File("lake"));
        var ids = files.SelectMany(f => f.RideIds).ToList();
        Assert.Equal(expected, ids.Count);
        Assert.Equal(expected, ids.Distinct().Count());
        foreach (var file in files)
        {
            Assert.All(file.Ts, ts => Assert.True(ts >= file.Hour && ts < file.Hour.AddHours(1), $"{file.Path} holds a ride of {ts:O}"));
            Assert.Matches(@"part-\d+-\d+\.parquet$", file.Path);
        }
    }
}
