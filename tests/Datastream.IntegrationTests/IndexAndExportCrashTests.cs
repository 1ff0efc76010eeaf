namespace Datastream.IntegrationTests;

/// <summary>
/// SPEC §8 for DAG#2: kill -9 of index-and-export at 10 random points of a large backlog, restarts, then every ride
/// is exactly once in the index and in the lake. Small lake files and batches make the kills land between a lake
/// flush and its offset commit as well as in the middle of batches.
/// </summary>
public sealed class IndexAndExportCrashTests
{
    private const int Rides = 150_000;

    [Fact]
    public async Task KillNineAtTenRandomPoints_ThenRestart_EachRideOnceInIndexAndLake()
    {
        using var dir = new TemporaryDirectory();
        var environment = new Dictionary<string, string>
        {
            // A killed member's partitions free up after 1 s instead of 10.
            ["DATASTREAM__Log__LeaseSeconds"] = "1",
            ["DATASTREAM__Lake__MaxRowsPerFile"] = "4000",
            ["DATASTREAM__IndexAndExport__BatchSize"] = "1500",
        };
        await ComputeCostEndToEndTests.Ok(dir, "produce", "--count", Rides.ToString(), "--seed", "77");
        await ComputeCostEndToEndTests.Ok(dir, "pipeline", "compute-cost", "--until-idle");

        var random = new Random(2026);
        int killedWhileRunning = 0;
        for (int kill = 0; kill < 10; kill++)
        {
            using var pipeline = DatastreamProcess.Start(dir.Path, ["pipeline", "index-and-export"], environment);
            await Task.Delay(random.Next(600, 1600), TestContext.Current.CancellationToken);
            if (!pipeline.Stderr.Contains("stopped after", StringComparison.Ordinal))
            {
                killedWhileRunning++;
            }

            pipeline.Kill();
        }

        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["pipeline", "index-and-export", "--until-idle"], environment: environment);
        Assert.True(code == 0, stderr);
        Assert.Equal(10, killedWhileRunning);
        // Work was left for the restart: the kills fell inside the backlog, not after it.
        Assert.DoesNotContain("consumed 0 records", stderr);
        await IndexAndExportEndToEndTests.AssertEachRideOnceAsync(dir, Rides);
    }
}
