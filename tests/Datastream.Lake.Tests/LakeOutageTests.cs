using Datastream.Embedded.Index;
using Datastream.Outages.Testing;

namespace Datastream.Lake.Tests;

/// <summary>
/// Issue 13, build item 5, for the lake: index-and-export on the embedded log and index, with a local or a GCS lake
/// that fails for real for a while (a directory replaced by a file, a full disk, uploads cut off). Each outage lasts
/// DATASTREAM_OUTAGE_SECONDS (default 1) and at least three failed attempts; see <see cref="SinkOutageScenario"/>
/// for what is checked once the lake is back.
/// </summary>
public sealed class LakeOutageTests
{
    [Fact]
    public async Task After_the_staging_and_then_the_published_directory_were_unwritable_every_ride_and_dead_letter_is_delivered_exactly_once()
    {
        using var dir = new TemporaryDirectory();
        string root = dir.File("lake");
        // Before the log commit (staging fails), then after it (publishing fails: the committed files wait in staging).
        var staging = new DirectoryReplacedByFile(Path.Combine(root, "_datastream"));
        var published = new DirectoryReplacedByFile(Path.Combine(root, "rides"));

        var report = await RunAsync(dir, new LocalDirectoryLakeStore(root),
            new SinkOutage("the lake's staging directory is a file", "_datastream", staging.BeginAsync, staging.EndAsync),
            new SinkOutage("the lake's rides directory is a file", Path.Combine(root, "rides"), published.BeginAsync, published.EndAsync));

        Assert.All(report.Reasons, reason => Assert.Contains(root, reason));
    }

    [Fact]
    public async Task After_the_lake_disk_was_full_every_ride_and_dead_letter_is_delivered_exactly_once()
    {
        using var dir = new TemporaryDirectory();
        using var disk = TmpfsMount.MountOrSkip(dir.File("lake"), "4m");

        await RunAsync(dir, new LocalDirectoryLakeStore(disk.Path),
            new SinkOutage("the lake's disk is full", "No space left on device", disk.FillAsync, disk.FreeAsync));
    }

    [Fact]
    public async Task After_GCS_cut_off_uploads_and_refused_copies_every_ride_and_dead_letter_is_delivered_exactly_once()
    {
        using var dir = new TemporaryDirectory();
        await using var server = new FakeGcsServer("outage-lake", pageSize: 50);
        var store = await GcsLakeStore.CreateAsync(server.Bucket, baseUri: server.JsonApiBase, cancellationToken: TestContext.Current.CancellationToken);

        await RunAsync(dir, store, new SinkOutage("GCS fails uploads and copies", "ServiceUnavailable",
            () => Set(() => server.FailWrites = 503), () => Set(() => server.FailWrites = null)));

        Assert.True(server.FailedWrites > 0);
    }

    /// <summary>The scenario with the embedded index; the index's own count (its rollups) must agree too.</summary>
    private static async Task<SinkOutageReport> RunAsync(TemporaryDirectory dir, ILakeStore lake, params SinkOutage[] outages)
    {
        await using var index = new SqliteRideIndex(new EmbeddedIndexOptions(dir.Path));
        var report = await new SinkOutageScenario(dir.Path).RunAsync(index, lake,
            async () => [.. (await index.LatestAsync(int.MaxValue)).Select(r => r.RideId.ToString("D"))], outages);
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.Equal(report.Rides, await index.CountAsync());
        return report;
    }

    private static Task Set(Action set)
    {
        set();
        return Task.CompletedTask;
    }
}
