using Datastream.Core.Rides;
using Datastream.Pipelines.Lake;

namespace Datastream.Lake.Tests;

/// <summary>What every store must give the lake: layout, exactly-once contents, and replay after a crash. Run per store.</summary>
public abstract class LakeContractTests
{
    private const string Prefix = "rides/processed/";

    /// <summary>A fresh handle on the same backing storage, as a restarted process would open it.</summary>
    private protected abstract Task<ILakeStore> OpenStoreAsync();

    private async Task<ParquetRideLake> OpenLakeAsync(LakeOptions? options = null) =>
        new(await OpenStoreAsync(), options ?? new LakeOptions { Prefix = Prefix });

    [Fact]
    public async Task Flush_writes_one_file_per_partition_and_hour_named_by_its_first_offset()
    {
        var rides = RideSamples.Generate(600, hours: 3);
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        await using (var lake = await OpenLakeAsync())
        {
            var seen = new HashSet<(int, DateTime)>();
            for (var i = 0; i < rides.Length; i++)
            {
                var partition = i % 2;
                long offset = 1000 + i / 2;
                lake.Add(partition, offset, rides[i]);
                var hour = LakeFileKey.HourOf(rides[i].TsUtc);
                if (seen.Add((partition, hour)))
                {
                    expected.Add($"{Prefix}year={hour:yyyy}/month={hour:MM}/day={hour:dd}/hour={hour:HH}/part-{partition}-{offset}.parquet");
                }
            }

            var flush = await lake.FlushAsync(TestContext.Current.CancellationToken);

            Assert.Equal(new LakeFlush(expected.Count, rides.Length), flush);
            Assert.Equal(0, lake.BufferedRows);
        }

        var files = await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix);
        Assert.Equal(expected, files.Select(f => f.Key));
        Assert.Equal(6, expected.Count);
        // Spans a year boundary: 2024-12-31 22h to 2025-01-01 00h.
        Assert.Contains($"{Prefix}year=2025/month=01/day=01/hour=00/", string.Join('\n', expected), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_ride_is_read_back_once_with_equal_values_in_the_hour_of_its_directory()
    {
        var rides = RideSamples.Generate(900, hours: 4);
        await using (var lake = await OpenLakeAsync())
        {
            for (var i = 0; i < rides.Length; i++)
            {
                lake.Add(i % 3, i, rides[i]);
            }

            await lake.FlushAsync(TestContext.Current.CancellationToken);
        }

        var files = await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix);
        foreach (var (key, fileRides) in files)
        {
            var directory = key[..(key.LastIndexOf('/') + 1)];
            Assert.All(fileRides, r =>
            {
                var hour = LakeFileKey.HourOf(r.TsUtc);
                Assert.EndsWith($"year={hour:yyyy}/month={hour:MM}/day={hour:dd}/hour={hour:HH}/", directory, StringComparison.Ordinal);
            });
        }

        AssertSameRides(rides, files.SelectMany(f => f.Rides));
    }

    [Fact]
    public async Task Staged_files_are_invisible_until_published_and_published_once()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(300, hours: 2);
        await using var lake = await OpenLakeAsync();
        for (var i = 0; i < rides.Length; i++)
        {
            lake.Add(0, 100 + i, rides[i]);
        }

        var staging = await lake.StageAsync([new LakeCommitRange(0, 100, 400)], cancel);

        Assert.Equal(0, lake.BufferedRows);
        Assert.Empty(await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix));
        Assert.Equal(2, staging.Files.Count);
        Assert.Equal(new LakeFlush(2, 300), await lake.PublishAsync(staging, cancel));
        Assert.Equal(new LakeFlush(2, 300), await lake.PublishAsync(staging, cancel));
        AssertSameRides(rides, (await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix)).SelectMany(f => f.Rides));
    }

    [Fact]
    public async Task Rows_outside_the_committed_ranges_are_refused()
    {
        var rides = RideSamples.Generate(3);
        await using var lake = await OpenLakeAsync();
        lake.Add(0, 10, rides[0]);
        lake.Add(1, 20, rides[1]);

        await Assert.ThrowsAsync<ArgumentException>(async () => await lake.StageAsync([new LakeCommitRange(0, 10, 11)], TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(async () => await lake.StageAsync([new LakeCommitRange(0, 10, 11), new LakeCommitRange(1, 21, 30)], TestContext.Current.CancellationToken));
        Assert.Equal(2, lake.BufferedRows);
    }

    [Fact]
    public async Task A_crash_between_the_commit_and_the_publish_is_published_by_the_next_owner()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(500, hours: 3);
        // First owner: commits [0, 200) and publishes it, then stages [200, 500), commits it, and dies before publishing.
        await using (var first = await OpenLakeAsync())
        {
            for (var i = 0; i < 200; i++)
            {
                first.Add(3, i, rides[i]);
            }

            await first.PublishAsync(await first.StageAsync([new LakeCommitRange(3, 0, 200)], cancel), cancel);
            for (var i = 200; i < 500; i++)
            {
                first.Add(3, i, rides[i]);
            }

            await first.StageAsync([new LakeCommitRange(3, 200, 500)], cancel);
        }

        // The log says 500 is committed: the next owner publishes [200, 500).
        await using var next = await OpenLakeAsync();
        var recovery = await next.RecoverAsync(3, 500, cancel);

        Assert.Equal(3, recovery.Published);
        AssertSameRides(rides, (await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix)).SelectMany(f => f.Rides));
        Assert.Equal(new LakeRecovery(0, 0), await next.RecoverAsync(3, 500, cancel));
    }

    [Fact]
    public async Task Staging_of_a_fenced_or_killed_writer_never_becomes_visible()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(600, hours: 2);
        // The live writer committed [0, 300) and published it.
        await using (var live = await OpenLakeAsync())
        {
            for (var i = 0; i < 300; i++)
            {
                live.Add(5, i, rides[i]);
            }

            await live.PublishAsync(await live.StageAsync([new LakeCommitRange(5, 0, 300)], cancel), cancel);
        }

        // A stale writer (it lost the partition at 0 and never committed) staged [0, 250), then [0, 300): the same
        // range as the live commit, so the same rows. A killed writer staged [300, 600) and died before its commit.
        await using (var stale = await OpenLakeAsync())
        {
            for (var i = 0; i < 250; i++)
            {
                stale.Add(5, i, rides[i]);
            }

            await stale.StageAsync([new LakeCommitRange(5, 0, 250)], cancel);
            for (var i = 0; i < 300; i++)
            {
                stale.Add(5, i, rides[i]);
            }

            await stale.StageAsync([new LakeCommitRange(5, 0, 300)], cancel);
            for (var i = 300; i < 600; i++)
            {
                stale.Add(5, i, rides[i]);
            }

            await stale.StageAsync([new LakeCommitRange(5, 300, 600)], cancel);
        }

        await using var next = await OpenLakeAsync();
        var recovery = await next.RecoverAsync(5, 300, cancel);

        // [0, 300) was published already: republishing its range is harmless; the rest is removed, except [300, 600),
        // which starts at the committed offset and is left to whoever commits past it.
        AssertSameRides(rides.Take(300), (await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix)).SelectMany(f => f.Rides));
        Assert.True(recovery.Removed >= 2, $"removed {recovery.Removed}");
        for (var i = 300; i < 450; i++)
        {
            next.Add(5, i, rides[i]);
        }

        await next.PublishAsync(await next.StageAsync([new LakeCommitRange(5, 300, 450)], cancel), cancel);
        AssertSameRides(rides.Take(450), (await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix)).SelectMany(f => f.Rides));
        var staged = new List<string>();
        await foreach (var key in (await OpenStoreAsync()).ListAsync("_datastream/staging/", cancel))
        {
            staged.Add(key);
        }

        // What is left of the staging is the marker naming the last commit.
        Assert.Equal([$"_datastream/staging/{Prefix}p=5/300-450.range"], staged);
    }

    [Fact]
    public async Task A_partition_never_committed_keeps_nothing_staged()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(50);
        await using var lake = await OpenLakeAsync();
        for (var i = 0; i < rides.Length; i++)
        {
            lake.Add(7, i, rides[i]);
        }

        var staging = await lake.StageAsync([new LakeCommitRange(7, 0, 50)], cancel);

        // Every staged file and the marker.
        Assert.Equal(new LakeRecovery(0, staging.Files.Count + 1), await lake.RecoverAsync(7, committedOffset: null, cancel));
        Assert.Empty(await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix));
    }

    [Fact]
    public async Task Replaying_the_same_rows_rewrites_the_same_files()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(300);
        for (var life = 0; life < 2; life++)
        {
            await using var lake = await OpenLakeAsync();
            for (var i = 0; i < rides.Length; i++)
            {
                lake.Add(4, 50 + i, rides[i]);
            }

            await lake.FlushAsync(cancel);
        }

        var files = await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix);
        AssertSameRides(rides, files.SelectMany(f => f.Rides));
    }

    [Fact]
    public async Task DiscardBuffered_drops_rows_without_writing()
    {
        var rides = RideSamples.Generate(10);
        await using var lake = await OpenLakeAsync();
        foreach (var (ride, i) in rides.Select((r, i) => (r, i)))
        {
            lake.Add(0, i, ride);
        }

        lake.DiscardBuffered();

        Assert.Equal(0, lake.BufferedRows);
        Assert.Equal(new LakeFlush(0, 0), await lake.FlushAsync(TestContext.Current.CancellationToken));
        Assert.Empty(await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix));
    }

    [Fact]
    public async Task Rows_encoded_ahead_read_back_in_order_from_row_groups_of_the_configured_size()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(100, hours: 1, seed: 5);
        await using (var lake = await OpenLakeAsync(new LakeOptions { Prefix = Prefix, RowGroupRows = 7 }))
        {
            for (var i = 0; i < rides.Length; i++)
            {
                lake.Add(i % 2, i / 2, rides[i]);
                if (i % 5 == 4)
                {
                    // Encodes the files holding 7 rows or more: groups of 7 to 11 rows, then the rest at the flush.
                    await lake.WriteAheadAsync(cancel);
                }
            }

            Assert.Equal(100, lake.BufferedRows);
            Assert.Empty(await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix));
            Assert.Equal(100, (await lake.FlushAsync(cancel)).Rows);
        }

        var store = await OpenStoreAsync();
        var files = await LakeContents.ReadAsync(store, Prefix);
        Assert.Equal(2, files.Count);
        foreach (var (key, read) in files)
        {
            var partition = key.Contains("part-0-", StringComparison.Ordinal) ? 0 : 1;
            Assert.Equal(rides.Where((_, i) => i % 2 == partition), read);
            await using var stream = await store.OpenReadAsync(key, cancel);
            await using var parquet = await Parquet.ParquetReader.CreateAsync(stream, cancellationToken: cancel);
            var groupRows = new List<long>();
            for (var g = 0; g < parquet.RowGroupCount; g++)
            {
                using var group = parquet.OpenRowGroupReader(g);
                groupRows.Add(group.RowCount);
            }

            Assert.True(groupRows.Count >= 4, $"{key}: row groups {string.Join(", ", groupRows)}");
            Assert.All(groupRows.SkipLast(1), rows => Assert.InRange(rows, 7, 11));
        }
    }

    [Fact]
    public async Task Rows_encoded_ahead_then_discarded_are_never_written_and_their_replay_is_written_once()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(30, hours: 1, seed: 6);
        await using (var lake = await OpenLakeAsync(new LakeOptions { Prefix = Prefix, RowGroupRows = 4 }))
        {
            for (var i = 0; i < 20; i++)
            {
                lake.Add(0, i, rides[i]);
            }

            await lake.WriteAheadAsync(cancel);
            lake.DiscardBuffered();
            Assert.Equal(0, lake.BufferedRows);

            // The rewind reads the same records again, and more: one file from offset 0, each ride in it once.
            for (var i = 0; i < rides.Length; i++)
            {
                lake.Add(0, i, rides[i]);
                await lake.WriteAheadAsync(cancel);
            }

            Assert.Equal(new LakeFlush(1, rides.Length), await lake.FlushAsync(cancel));
        }

        var file = Assert.Single(await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix));
        Assert.Equal(rides, file.Rides);
    }

    private static void AssertSameRides(IEnumerable<FlatRide> expected, IEnumerable<FlatRide> actual)
    {
        var actualList = actual.ToList();
        Assert.Equal(actualList.Count, actualList.Select(r => r.RideId).Distinct().Count());
        var byId = actualList.ToDictionary(r => r.RideId);
        var expectedList = expected.ToList();
        Assert.Equal(expectedList.Count, actualList.Count);
        Assert.All(expectedList, r => Assert.Equal(r, byId[r.RideId]));
    }
}
