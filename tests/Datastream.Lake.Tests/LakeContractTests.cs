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
    public async Task Replay_after_a_crash_with_different_file_boundaries_leaves_every_ride_once()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(1200, hours: 3);
        var partitionOne = RideSamples.Generate(100, hours: 2, seed: 11);
        const long committed = 400;

        // First life: a committed flush at 400, an uncommitted one at 750, then rows lost in the buffer.
        await using (var lake = await OpenLakeAsync())
        {
            for (var i = 0; i < partitionOne.Length; i++)
            {
                lake.Add(1, i, partitionOne[i]);
            }

            for (long offset = 0; offset < 1000; offset++)
            {
                if (offset == committed || offset == 750)
                {
                    await lake.FlushAsync(cancel);
                }

                lake.Add(0, offset, rides[offset]);
            }
        }

        // Second life: partition 0 is reassigned at its committed offset and read again, flushed every 170 rows.
        await using (var lake = await OpenLakeAsync())
        {
            Assert.Equal(0, await lake.RemoveUncommittedAsync(1, partitionOne.Length, cancel));
            var removed = await lake.RemoveUncommittedAsync(0, committed, cancel);
            Assert.InRange(removed, 1, 3);
            for (var offset = committed; offset < rides.Length; offset++)
            {
                lake.Add(0, offset, rides[offset]);
                if ((offset - committed) % 170 == 169)
                {
                    await lake.FlushAsync(cancel);
                }
            }

            await lake.FlushAsync(cancel);
        }

        var files = await LakeContents.ReadAsync(await OpenStoreAsync(), Prefix);
        AssertSameRides(rides.Concat(partitionOne), files.SelectMany(f => f.Rides));
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
    public async Task RemoveUncommitted_deletes_only_that_partitions_files_from_the_offset_on()
    {
        var cancel = TestContext.Current.CancellationToken;
        var rides = RideSamples.Generate(40, hours: 1);
        await using var lake = await OpenLakeAsync();
        foreach (var (partition, offset) in new[] { (2, 10L), (2, 20L), (2, 30L), (12, 30L), (3, 30L) })
        {
            for (var i = 0; i < 5; i++)
            {
                lake.Add(partition, offset + i, rides[i]);
            }

            await lake.FlushAsync(cancel);
        }

        var store = await OpenStoreAsync();
        await store.WriteAsync(Prefix + "year=2024/month=12/day=31/hour=22/_SUCCESS", (s, _) => s.WriteAsync("x"u8.ToArray()), cancel);

        Assert.Equal(2, await lake.RemoveUncommittedAsync(2, 20, cancel));
        Assert.Equal(0, await lake.RemoveUncommittedAsync(2, 20, cancel));

        var names = new List<string>();
        await foreach (var key in store.ListAsync(Prefix, cancel))
        {
            names.Add(key[(key.LastIndexOf('/') + 1)..]);
        }

        names.Sort(StringComparer.Ordinal);
        Assert.Equal(["_SUCCESS", "part-12-30.parquet", "part-2-10.parquet", "part-3-30.parquet"], names);
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
