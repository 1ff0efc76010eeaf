namespace Datastream.Lake.Tests;

/// <summary>When the lake asks to be flushed: rows, bytes, or the age of its oldest row (SPEC: at most a minute behind).</summary>
public sealed class LakeRollingTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();
    private readonly FlatRideSource _rides = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Rolls_by_row_count_over_all_buffers()
    {
        var clock = new ManualClock(DateTime.UtcNow);
        await using var lake = Lake(new LakeOptions { MaxRowsPerFile = 100 }, clock);
        for (var i = 0; i < 99; i++)
        {
            lake.Add(i % 4, i, _rides.Next());
        }

        Assert.False(lake.ShouldFlush(clock.UtcNow));

        lake.Add(0, 99, _rides.Next());
        Assert.True(lake.ShouldFlush(clock.UtcNow));

        var flush = await lake.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(100, flush.Rows);
        Assert.False(lake.ShouldFlush(clock.UtcNow));
    }

    [Fact]
    public async Task Rolls_by_approximate_bytes()
    {
        var clock = new ManualClock(DateTime.UtcNow);
        await using var lake = Lake(new LakeOptions { MaxBytes = 10_000 }, clock);
        var i = 0;
        while (!lake.ShouldFlush(clock.UtcNow))
        {
            lake.Add(0, i++, _rides.Next());
        }

        Assert.InRange(lake.BufferedBytes, 10_000, 10_000 + 200);
        Assert.InRange(i, 50, 100);
    }

    [Fact]
    public async Task Rolls_once_the_oldest_buffered_row_is_one_interval_old()
    {
        var clock = new ManualClock(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc));
        await using var lake = Lake(new LakeOptions(), clock);
        Assert.False(lake.ShouldFlush(clock.UtcNow.AddHours(1)));

        lake.Add(0, 0, _rides.Next());
        clock.Advance(TimeSpan.FromSeconds(45));
        lake.Add(0, 1, _rides.Next());
        Assert.False(lake.ShouldFlush(clock.UtcNow));

        // 60 s after the first row, not the last one: a steady trickle cannot hold rows back forever.
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.True(lake.ShouldFlush(clock.UtcNow));

        await lake.FlushAsync(TestContext.Current.CancellationToken);
        lake.Add(0, 2, _rides.Next());
        Assert.False(lake.ShouldFlush(clock.UtcNow.AddSeconds(59)));
        Assert.True(lake.ShouldFlush(clock.UtcNow.AddSeconds(60)));
    }

    [Fact]
    public async Task The_first_roll_comes_after_the_first_interval_and_later_ones_after_the_full_one()
    {
        var clock = new ManualClock(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc));
        await using var lake = Lake(new LakeOptions { FirstRollInterval = TimeSpan.FromSeconds(3) }, clock);
        lake.Add(0, 0, _rides.Next());
        Assert.False(lake.ShouldFlush(clock.UtcNow.AddSeconds(2.9)));
        Assert.True(lake.ShouldFlush(clock.UtcNow.AddSeconds(3)));

        var first = await lake.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, first.Rows);
        lake.Add(0, 1, _rides.Next());
        Assert.False(lake.ShouldFlush(clock.UtcNow.AddSeconds(59)));
        Assert.True(lake.ShouldFlush(clock.UtcNow.AddSeconds(60)));
    }

    [Fact]
    public async Task A_first_interval_longer_than_the_roll_interval_changes_nothing()
    {
        var clock = new ManualClock(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc));
        await using var lake = Lake(new LakeOptions { RollInterval = TimeSpan.FromSeconds(2), FirstRollInterval = TimeSpan.FromSeconds(5) }, clock);
        lake.Add(0, 0, _rides.Next());
        Assert.True(lake.ShouldFlush(clock.UtcNow.AddSeconds(2)));
    }

    [Fact]
    public void Options_are_checked()
    {
        var store = new LocalDirectoryLakeStore(_root.Path);
        Assert.Throws<ArgumentException>(() => new ParquetRideLake(store, new LakeOptions { Prefix = "no-slash" }));
        Assert.Throws<ArgumentException>(() => new ParquetRideLake(store, new LakeOptions { Prefix = "/abs/" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParquetRideLake(store, new LakeOptions { MaxRowsPerFile = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParquetRideLake(store, new LakeOptions { RollInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParquetRideLake(store, new LakeOptions { FirstRollInterval = TimeSpan.Zero }));
    }

    [Fact]
    public async Task A_later_smaller_roll_writes_only_its_own_rows_into_buffers_the_first_one_left()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualClock(DateTime.UtcNow);
        var store = new LocalDirectoryLakeStore(_root.Path);
        await using var lake = new ParquetRideLake(store, new LakeOptions(), clock);
        var rides = RideSamples.Generate(3_000, hours: 1, seed: 11);
        var first = rides[..2_900];
        var second = rides[2_900..];
        for (var i = 0; i < first.Length; i++)
        {
            lake.Add(0, i, first[i]);
        }

        Assert.Equal(2_900, (await lake.FlushAsync(ct)).Rows);

        // Another source partition: the 100 rows land in a buffer that held 2,900 rows of partition 0.
        for (var i = 0; i < second.Length; i++)
        {
            lake.Add(1, 5_000 + i, second[i]);
        }

        Assert.Equal(100, (await lake.FlushAsync(ct)).Rows);

        var files = await LakeContents.ReadAsync(store, new LakeOptions().Prefix);
        Assert.Equal(2, files.Count);
        var secondFile = Assert.Single(files, f => f.Key.Contains("part-1-5000", StringComparison.Ordinal));
        Assert.Equal(second, secondFile.Rides);
        Assert.Equal(first, Assert.Single(files, f => f.Key.Contains("part-0-0", StringComparison.Ordinal)).Rides);
    }

    private ParquetRideLake Lake(LakeOptions options, TimeProvider clock) =>
        new(new LocalDirectoryLakeStore(_root.Path), options, clock);

    /// <summary>Rides one after another from one generated batch.</summary>
    private sealed class FlatRideSource
    {
        private readonly Core.Rides.FlatRide[] _rides = RideSamples.Generate(1000);
        private int _next;

        public Core.Rides.FlatRide Next() => _rides[_next++];
    }
}
