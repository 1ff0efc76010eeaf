using System.Globalization;
using Datastream.Core.Clustering;
using Datastream.Core.Rides;
using Microsoft.Extensions.Logging;

namespace Datastream.Warehouse.Tests;

/// <summary>
/// The revenue from the per-file cache equals the full query's (rides_view.sql + revenue.sql) on lakes where rides
/// repeat within and across files, as files are added, replaced and removed and as the model changes; and a damaged,
/// foreign or unusable cache never changes an answer.
/// </summary>
public sealed class RevenueCacheTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string LakeRoot => Path.Combine(_root.Path, "lake");

    private string CachePath => Path.Combine(_root.Path, DuckDbWarehouse.RevenueCacheFile);

    [Theory]
    [InlineData(long.MaxValue, long.MaxValue)] // all new rows' hashes in one go, as without a memory limit
    [InlineData(300, long.MaxValue)] // in several slices of the hash space, as with one
    [InlineData(300, 1)] // and each new file in a transaction of its own
    public async Task Cached_revenue_equals_the_full_query_as_files_with_repeated_rides_are_added_replaced_and_removed(long rowsPerSlice, long bytesPerStep)
    {
        var random = new Random(7);
        var rides = NewYorkRides.Generate(3000, hours: 3, seed: 31);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        var log = new RecordingLogger();
        await using var warehouse = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath, logger: log)
        {
            RevenueCacheRowsPerSlice = rowsPerSlice,
            RevenueCacheBytesPerStep = bytesPerStep,
        };

        // Rides repeated inside a file: the copy three places on is in the same source partition, flush and hour.
        await NewYorkRides.WriteLakeAsync(LakeRoot, WithRepeatsInsideFiles(rides[..1500], random), Token);
        await AssertSameAsFullQuery(warehouse, model, expectedRides: 1500);

        // New files, some of whose rides were in older files: later, earlier or the same agent_timestamp, a new price,
        // another comfort or another origin (so another cluster).
        await NewYorkRides.WriteLakeAsync(LakeRoot, [.. rides[1500..], .. Replays(rides[..1500], random, 300)], Token, firstOffset: 10_000);
        await AssertSameAsFullQuery(warehouse, model, expectedRides: 3000);
        var replays = WithRepeatsInsideFiles(Replays(rides, random, 400), random);
        await NewYorkRides.WriteLakeAsync(LakeRoot, replays, Token, firstOffset: 20_000);
        await AssertSameAsFullQuery(warehouse, model, expectedRides: 3000);

        // The same rows written again at the same offsets make the same keys: the files are replaced (another
        // identity), here with other prices and agent timestamps.
        var filesBefore = LakeFiles();
        await NewYorkRides.WriteLakeAsync(LakeRoot, [.. replays.Select(r => r with { PriceTotal = r.PriceTotal + 2, AgentTimestampUtc = r.AgentTimestampUtc.AddSeconds(30) })], Token, firstOffset: 20_000);
        Assert.Equal(filesBefore, LakeFiles());
        await AssertSameAsFullQuery(warehouse, model, expectedRides: 3000);

        // Retention or compaction removes files, among them some holding a ride's latest row.
        var files = LakeFiles();
        foreach (var file in files.Where((_, i) => i % 4 == 1))
        {
            File.Delete(file);
        }

        await AssertSameAsFullQuery(warehouse, model, expectedRides: null);

        // Another model: the figures are computed again for it; the first model's are still right afterwards.
        var moved = NewYorkRides.Model(NewYorkRides.DyadicStandardization);
        await AssertSameAsFullQuery(warehouse, moved, expectedRides: null);
        await AssertSameAsFullQuery(warehouse, model, expectedRides: null);
        Assert.Empty(log.Warnings);
        Assert.True(File.Exists(CachePath));
    }

    [Fact]
    public async Task Under_the_background_limits_a_backlog_fits_and_a_replay_that_needs_more_memory_raises_the_limit_and_is_answered()
    {
        // Large enough for the limits to matter: 100,000 rides, then 200,000 more in several steps and slices.
        var rides = NewYorkRides.Generate(300_000, hours: 6, seed: 17);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        var log = new RecordingLogger();
        await using var warehouse = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath, logger: log);
        await warehouse.LimitAsync(DuckDbLimits.Background, Token);
        var limit = await warehouse.SettingAsync("memory_limit", Token);
        // The full query on a warehouse of its own: under the background limits it could raise the limit itself, and the
        // warnings and the limit checked below would no longer say what the cached revenue did.
        await using var unbounded = new DuckDbWarehouse(LakeRoot);

        await NewYorkRides.WriteLakeAsync(LakeRoot, rides[..100_000], Token, ridesPerFlush: 90_000);
        Assert.Equal(Text(await unbounded.UncachedRevenueAsync(model, Token)), Text(await warehouse.RevenueAsync(model, Token)));
        await NewYorkRides.WriteLakeAsync(LakeRoot, rides[100_000..], Token, firstOffset: 1_000_000, ridesPerFlush: 90_000);
        Assert.Equal(Text(await unbounded.UncachedRevenueAsync(model, Token)), Text(await warehouse.RevenueAsync(model, Token)));
        Assert.Empty(log.Warnings);
        Assert.Equal(limit, await warehouse.SettingAsync("memory_limit", Token));

        // A replay of 50,000 rides: the window over their 100,000 rows needs more than the background limit (and more
        // than the 24 MB it was before). The limit is raised, the answer is right, and the cache is not taken for damaged.
        await NewYorkRides.WriteLakeAsync(LakeRoot, Replays(rides, new Random(3), 50_000), Token, firstOffset: 2_000_000, ridesPerFlush: 90_000);
        var full = await unbounded.UncachedRevenueAsync(model, Token);
        Assert.Equal(300_000, full.Sum(r => r.Count));
        Assert.Equal(Text(full), Text(await warehouse.RevenueAsync(model, Token)));
        Assert.NotEmpty(log.Warnings);
        Assert.All(log.Warnings, warning => Assert.Contains("its memory limit is now", warning, StringComparison.Ordinal));
        Assert.NotEqual(limit, await warehouse.SettingAsync("memory_limit", Token));

        // The raised limit holds for the next query over the same lake (no warning), and the limits asked for reset it.
        int warnings = log.Warnings.Count;
        Assert.Equal(Text(full), Text(await warehouse.RevenueAsync(model, Token)));
        Assert.Equal(warnings, log.Warnings.Count);
        await warehouse.LimitAsync(DuckDbLimits.Background, Token);
        Assert.Equal(limit, await warehouse.SettingAsync("memory_limit", Token));
    }

    [Fact]
    public async Task A_second_warehouse_on_the_same_data_directory_uses_the_cache_the_first_built_and_never_rereads_an_old_file()
    {
        var rides = NewYorkRides.Generate(2000, hours: 2, seed: 5);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        await NewYorkRides.WriteLakeAsync(LakeRoot, rides[..1000], Token);
        IReadOnlyList<RevenueRow> first;
        await using (var builder = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath))
        {
            first = await builder.RevenueAsync(model, Token);
        }

        // An old file overwritten with garbage of the same size and modification time: only a query that read it
        // again could notice. The cached query does not; the full query fails on it.
        var old = LakeFiles()[0];
        var modified = File.GetLastWriteTimeUtc(old);
        await File.WriteAllBytesAsync(old, new byte[new FileInfo(old).Length], Token);
        File.SetLastWriteTimeUtc(old, modified);
        await using var warehouse = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath);
        Assert.Equal(first, await warehouse.RevenueAsync(model, Token));
        await Assert.ThrowsAnyAsync<Exception>(async () => await warehouse.UncachedRevenueAsync(model, Token));

        // A new file is read; the damaged one is still not.
        await NewYorkRides.WriteLakeAsync(LakeRoot, rides[1000..], Token, firstOffset: 5000);
        Assert.Equal(2000, (await warehouse.RevenueAsync(model, Token)).Sum(r => r.Count));
    }

    [Fact]
    public async Task Two_warehouses_querying_at_once_get_the_full_query_s_figures()
    {
        var random = new Random(3);
        var rides = NewYorkRides.Generate(2400, hours: 2, seed: 9);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        await NewYorkRides.WriteLakeAsync(LakeRoot, rides, Token);
        await using var web = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath);
        await using var cli = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath);
        var expected = Text(await cli.UncachedRevenueAsync(model, Token));

        for (var round = 0; round < 3; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? web : cli).RevenueAsync(model, Token).AsTask()));
            Assert.All(answers, answer => Assert.Equal(expected, Text(answer)));
            await NewYorkRides.WriteLakeAsync(LakeRoot, Replays(rides, random, 100), Token, firstOffset: 10_000 * (round + 1));
            expected = Text(await cli.UncachedRevenueAsync(model, Token));
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("foreign")]
    [InlineData("damaged")]
    public async Task A_cache_file_that_is_not_a_sound_revenue_cache_is_rebuilt_with_a_warning(string kind)
    {
        var rides = NewYorkRides.Generate(1500, hours: 2, seed: 13);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        await NewYorkRides.WriteLakeAsync(LakeRoot, [.. rides, .. Replays(rides, new Random(1), 200)], Token);
        switch (kind)
        {
            case "garbage":
                Directory.CreateDirectory(Path.GetDirectoryName(CachePath)!);
                await File.WriteAllTextAsync(CachePath, "not a database at all", Token);
                break;
            case "foreign":
                await using (var other = new DuckDB.NET.Data.DuckDBConnection($"DataSource={CachePath}"))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(CachePath)!);
                    await other.OpenAsync(Token);
                    await using var command = other.CreateCommand();
                    command.CommandText = "CREATE TABLE lake_file (file_id BIGINT, path VARCHAR, size BIGINT, modified_ticks BIGINT); INSERT INTO lake_file VALUES (1, 'x', 1, 1)";
                    await command.ExecuteNonQueryAsync(Token);
                }

                break;
            default:
                await using (var builder = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath))
                {
                    await builder.RevenueAsync(model, Token);
                }

                // Bytes flipped across the data blocks (the first 12 KiB are DuckDB's headers).
                var bytes = await File.ReadAllBytesAsync(CachePath, Token);
                for (var i = 12_288; i < bytes.Length; i += 97)
                {
                    bytes[i] ^= 0x5A;
                }

                await File.WriteAllBytesAsync(CachePath, bytes, Token);
                break;
        }

        var log = new RecordingLogger();
        await using var warehouse = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath, logger: log);
        var expected = Text(await warehouse.UncachedRevenueAsync(model, Token));

        Assert.Equal(expected, Text(await warehouse.RevenueAsync(model, Token)));
        Assert.Contains(log.Warnings, w => w.Contains("rebuilt", StringComparison.Ordinal));
        log.Warnings.Clear();
        Assert.Equal(expected, Text(await warehouse.RevenueAsync(model, Token)));
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public async Task Without_a_place_for_the_cache_the_revenue_reads_the_whole_lake_and_says_so()
    {
        var rides = NewYorkRides.Generate(800, hours: 1, seed: 2);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        await NewYorkRides.WriteLakeAsync(LakeRoot, rides, Token);
        // The cache's directory cannot be created: a file is in its way.
        var blocker = Path.Combine(_root.Path, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "", Token);
        var log = new RecordingLogger();
        await using var warehouse = new DuckDbWarehouse(LakeRoot, revenueCachePath: Path.Combine(blocker, "revenue-cache.duckdb"), logger: log);

        Assert.Equal(Text(await warehouse.UncachedRevenueAsync(model, Token)), Text(await warehouse.RevenueAsync(model, Token)));
        Assert.Contains(log.Warnings, w => w.Contains("revenue cache unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Figures_of_many_models_in_turn_stay_right()
    {
        var rides = NewYorkRides.Generate(1200, hours: 1, seed: 4);
        await NewYorkRides.WriteLakeAsync(LakeRoot, [.. rides, .. Replays(rides, new Random(4), 150)], Token);
        await using var warehouse = new DuckDbWarehouse(LakeRoot, revenueCachePath: CachePath);
        var models = Enumerable.Range(0, 6)
            .Select(i => NewYorkRides.Model(new Standardization(-74.0 + i * 0.01, 0.1 + i * 0.01, 40.75, 0.05 + i * 0.005)))
            .ToArray();

        foreach (var model in models.Concat(models.Reverse()))
        {
            await AssertSameAsFullQuery(warehouse, model, expectedRides: 1200);
        }
    }

    private static async Task AssertSameAsFullQuery(DuckDbWarehouse warehouse, KMeansModel model, int? expectedRides)
    {
        var full = Text(await warehouse.UncachedRevenueAsync(model, Token));
        var cached = Text(await warehouse.RevenueAsync(model, Token));
        Assert.Equal(full, cached);
        if (expectedRides is { } rides)
        {
            Assert.Equal(rides, (await warehouse.UncachedRevenueAsync(model, Token)).Sum(r => r.Count));
        }
    }

    /// <summary>Rows as printed, so the revenue's scale (its digits after the point) must match too, not only its value.</summary>
    private static List<string> Text(IReadOnlyList<RevenueRow> rows) =>
        [.. rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.ClusterId} {r.Comfort} {r.Revenue} {r.Count}"))];

    private List<string> LakeFiles() =>
        [.. Directory.EnumerateFiles(LakeRoot, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>
    /// <paramref name="count"/> rides again, each changed in one way: agent_timestamp later, earlier or equal (then the
    /// later file or row wins), price, comfort or origin (another cluster).
    /// </summary>
    private static FlatRide[] Replays(IReadOnlyList<FlatRide> rides, Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var ride = rides[random.Next(rides.Count)];
            var agent = ride.AgentTimestampUtc.AddSeconds(random.Next(3) switch { 0 => 60, 1 => -60, _ => 0 });
            return random.Next(4) switch
            {
                0 => ride with { AgentTimestampUtc = agent, PriceTotal = ride.PriceTotal + 1.25 },
                1 => ride with { AgentTimestampUtc = agent, Comfort = (Comfort)(((int)ride.Comfort + 1) % 3) },
                2 => ride with { AgentTimestampUtc = agent, OriginLat = ride.OriginLat + 0.2, OriginLon = ride.OriginLon - 0.2 },
                _ => ride with { AgentTimestampUtc = agent },
            };
        })];

    /// <summary>
    /// <paramref name="rides"/> with one in thirty followed, three places on (same source partition and mostly the same
    /// flush), by a changed copy of itself at the same event time (same hour): a ride twice in one file.
    /// </summary>
    private static List<FlatRide> WithRepeatsInsideFiles(IReadOnlyList<FlatRide> rides, Random random)
    {
        var result = new List<FlatRide>();
        foreach (var ride in rides)
        {
            result.Add(ride);
            if (result.Count % 30 == 3)
            {
                result.Add(Replays([result[^3]], random, 1)[0]);
            }
        }

        return result;
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
