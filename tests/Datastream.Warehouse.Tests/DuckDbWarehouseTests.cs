using Datastream.Core.Clustering;
using Datastream.Core.Rides;

namespace Datastream.Warehouse.Tests;

/// <summary>The DuckDB warehouse over a real local lake: SQL assignment matches <see cref="KMeansModel.Assign"/>, revenue adds up.</summary>
public sealed class DuckDbWarehouseTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Background_limits_reach_DuckDB_and_Unbounded_gives_its_defaults_back()
    {
        await using var warehouse = new DuckDbWarehouse(_root.Path, revenueCachePath: Path.Combine(_root.Path, DuckDbWarehouse.RevenueCacheFile));
        var defaults = await Settings(warehouse);
        Assert.Equal(long.MaxValue, warehouse.RevenueCacheRowsPerSlice);
        Assert.Equal(long.MaxValue, warehouse.RevenueCacheBytesPerStep);

        await warehouse.LimitAsync(DuckDbLimits.Background, Token);
        var background = await Settings(warehouse);
        // DuckDB shows sizes in MiB: 12 MB and 8 MB. The revenue cache takes new rows' hashes 2,000 per MB at a time,
        // and new files half a MB per MB per transaction.
        Assert.Equal(["1", "11.4 MiB", "7.6 MiB", "true"], background);
        Assert.Equal(24_000, warehouse.RevenueCacheRowsPerSlice);
        Assert.Equal(6L * 1024 * 1024, warehouse.RevenueCacheBytesPerStep);

        await warehouse.LimitAsync(DuckDbLimits.Unbounded, Token);
        Assert.Equal(defaults, await Settings(warehouse));
        Assert.NotEqual(defaults, background);
        Assert.Equal(long.MaxValue, warehouse.RevenueCacheRowsPerSlice);
        Assert.Equal(long.MaxValue, warehouse.RevenueCacheBytesPerStep);

        static async Task<string[]> Settings(DuckDbWarehouse warehouse) =>
        [
            await warehouse.SettingAsync("threads", Token),
            await warehouse.SettingAsync("memory_limit", Token),
            await warehouse.SettingAsync("allocator_flush_threshold", Token),
            await warehouse.SettingAsync("allocator_background_threads", Token),
        ];
    }

    [Fact]
    public async Task SQL_assignment_equals_the_model_assignment_for_every_ride()
    {
        var rides = NewYorkRides.Generate(5000, hours: 6);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        await NewYorkRides.WriteLakeAsync(_root.Path, rides, Token);
        await using var warehouse = new DuckDbWarehouse(_root.Path);

        var assigned = await warehouse.AssignAsync(model, Token);

        Assert.Equal(rides.Length, assigned.Count);
        var expected = rides.ToDictionary(r => r.RideId, r => model.Assign(new GeoPoint(r.OriginLat, r.OriginLon)));
        var mismatches = assigned.Where(a => expected[a.RideId] != a.ClusterId).ToArray();
        Assert.Empty(mismatches);
        Assert.Equal(NewYorkRides.Centres.Length, assigned.Select(a => a.ClusterId).Distinct().Count());
    }

    [Fact]
    public async Task A_ride_exactly_halfway_between_centroids_goes_to_the_lower_id_as_in_the_model()
    {
        var model = NewYorkRides.Model(NewYorkRides.DyadicStandardization);
        var random = new Random(5);
        var rides = new List<FlatRide>();
        var ties = new HashSet<Guid>();
        // Every pair's midpoint is on the 1/128° grid, so it standardizes exactly and is a true tie unless a third centroid is nearer.
        for (var a = 0; a < NewYorkRides.Centres.Length; a++)
        {
            for (var b = a + 1; b < NewYorkRides.Centres.Length; b++)
            {
                var (latA, lonA) = NewYorkRides.Centres[a];
                var (latB, lonB) = NewYorkRides.Centres[b];
                var ride = NewYorkRides.Ride(random, (latA + latB) / 2, (lonA + lonB) / 2, hours: 3);
                rides.Add(ride);
                if (IsTie(model, ride, a + 1, b + 1))
                {
                    ties.Add(ride.RideId);
                }
            }
        }

        rides.AddRange(NewYorkRides.Generate(500, hours: 3, seed: 3));
        Assert.NotEmpty(ties);
        await NewYorkRides.WriteLakeAsync(_root.Path, rides, Token);
        await using var warehouse = new DuckDbWarehouse(_root.Path);

        var assigned = (await warehouse.AssignAsync(model, Token)).ToDictionary(a => a.RideId, a => a.ClusterId);

        Assert.Equal(rides.Count, assigned.Count);
        foreach (var ride in rides)
        {
            Assert.Equal(model.Assign(new GeoPoint(ride.OriginLat, ride.OriginLon)), assigned[ride.RideId]);
        }
    }

    [Fact]
    public async Task Fixed_column_assignment_equals_the_model_assignment_for_models_of_2_to_50_centroids_and_their_ties()
    {
        // Centroids on the 1/64° grid with DyadicStandardization: every pair's midpoint is an exact tie, unless a third
        // centroid is nearer. The same rides are then assigned by a model with an inexact standardization, as trained ones have.
        var random = new Random(17);
        var models = new List<KMeansModel>();
        foreach (var k in new[] { 2, 8, 50 })
        {
            var centres = Enumerable.Range(0, k)
                .Select(_ => (Lat: 40.75 + random.Next(-16, 17) / 64.0, Lon: -74.0 + random.Next(-24, 25) / 64.0))
                .Distinct()
                .ToArray();
            // Ids in shuffled order: the tie rule is the lower id, not the position in the list.
            var ids = Enumerable.Range(1, centres.Length).OrderBy(_ => random.Next()).ToArray();
            var centroids = centres.Select((c, i) => new Centroid(ids[i], c.Lat, c.Lon, 10)).ToArray();
            var training = new KMeansTraining(centres.Length, 10, 1, 0.5, 0.8, 600, "test", NewYorkRides.Start);
            models.Add(new KMeansModel(NewYorkRides.DyadicStandardization, centroids, training));
            models.Add(new KMeansModel(new Standardization(-73.97, 0.0581, 40.738, 0.0414), centroids, training));
        }

        var rides = new List<FlatRide>(NewYorkRides.Generate(6000, hours: 4, seed: 23));
        foreach (var model in models.Where(m => m.Standardization == NewYorkRides.DyadicStandardization))
        {
            for (var pair = 0; pair < 100; pair++)
            {
                var a = model.Centroids[random.Next(model.Centroids.Count)];
                var b = model.Centroids[random.Next(model.Centroids.Count)];
                rides.Add(NewYorkRides.Ride(random, (a.Lat + b.Lat) / 2, (a.Lon + b.Lon) / 2, hours: 4));
            }
        }

        var ties = models.Sum(m => rides.Count(r => m.Centroids.Any(a => m.Centroids.Any(b => a.Id < b.Id && IsTie(m, r, a.Id, b.Id)))));
        Assert.True(ties >= 50, $"only {ties} rides are ties");
        await NewYorkRides.WriteLakeAsync(_root.Path, rides, Token);
        await using var warehouse = new DuckDbWarehouse(_root.Path);

        foreach (var model in models)
        {
            var assigned = (await warehouse.AssignAsync(model, Token)).ToDictionary(a => a.RideId, a => a.ClusterId);

            Assert.Equal(rides.Count, assigned.Count);
            var mismatches = rides.Where(r => assigned[r.RideId] != model.Assign(new GeoPoint(r.OriginLat, r.OriginLon))).ToList();
            Assert.True(mismatches.Count == 0, $"k = {model.Centroids.Count}: {mismatches.Count} rides assigned differently, e.g. {mismatches.FirstOrDefault()}");
        }
    }

    [Fact]
    public async Task Revenue_per_comfort_and_counts_add_up_to_the_rides_written_in_descending_order()
    {
        var rides = NewYorkRides.Generate(5000, hours: 6);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        await NewYorkRides.WriteLakeAsync(_root.Path, rides, Token);
        await using var warehouse = new DuckDbWarehouse(_root.Path);

        var revenue = await warehouse.RevenueAsync(model, Token);

        Assert.Equal("duckdb", warehouse.Engine);
        Assert.Equal(rides.Length, revenue.Sum(r => r.Count));
        Assert.Equal(revenue.Count, revenue.Select(r => (r.ClusterId, r.Comfort)).Distinct().Count());
        Assert.All(revenue, r => Assert.InRange(r.ClusterId, 1, NewYorkRides.Centres.Length));
        for (var i = 1; i < revenue.Count; i++)
        {
            Assert.True(revenue[i - 1].Revenue >= revenue[i].Revenue, $"row {i} out of order");
        }

        var expectedByComfort = rides.GroupBy(r => r.Comfort.WireName()).ToDictionary(g => g.Key, g => (Revenue: g.Sum(r => Cents(r.PriceTotal)), Count: g.LongCount()));
        var actualByComfort = revenue.GroupBy(r => r.Comfort).ToDictionary(g => g.Key, g => (Revenue: g.Sum(r => r.Revenue), Count: g.Sum(r => r.Count)));
        Assert.Equal(expectedByComfort.Keys.Order(), actualByComfort.Keys.Order());
        foreach (var (comfort, expected) in expectedByComfort)
        {
            Assert.Equal(expected.Count, actualByComfort[comfort].Count);
            Assert.Equal(expected.Revenue, actualByComfort[comfort].Revenue);
        }

        // Per (cluster, comfort), the same figures as assigning in C# and summing.
        var expectedCells = rides
            .GroupBy(r => (ClusterId: model.Assign(new GeoPoint(r.OriginLat, r.OriginLon)), Comfort: r.Comfort.WireName()))
            .ToDictionary(g => g.Key, g => (Revenue: g.Sum(r => Cents(r.PriceTotal)), Count: g.LongCount()));
        Assert.Equal(expectedCells.Count, revenue.Count);
        foreach (var row in revenue)
        {
            var expected = expectedCells[(row.ClusterId, row.Comfort)];
            Assert.Equal(expected.Count, row.Count);
            Assert.Equal(expected.Revenue, row.Revenue);
        }

        var byComfort = await warehouse.RevenueByComfortAsync(Token);
        Assert.Equal(rides.Length, byComfort.Sum(r => r.Count));
        foreach (var (comfort, total, count) in byComfort)
        {
            Assert.Equal(expectedByComfort[comfort].Count, count);
            Assert.Equal(expectedByComfort[comfort].Revenue, total);
        }
    }

    [Fact]
    public async Task A_ride_in_the_lake_twice_counts_once_as_its_latest_row()
    {
        // A replay of sink_rejected dead letters, or a backfill beside the live group, writes rides a second time:
        // later files, a later agent_timestamp, and here a changed price, which is the one that counts.
        var rides = NewYorkRides.Generate(400, hours: 2);
        var model = NewYorkRides.Model(NewYorkRides.StandardizationOf(rides));
        await NewYorkRides.WriteLakeAsync(_root.Path, rides, Token);
        await using var warehouse = new DuckDbWarehouse(_root.Path);
        var before = await warehouse.RevenueAsync(model, Token);

        var replayed = rides.Take(150).Select(r => r with { AgentTimestampUtc = r.AgentTimestampUtc.AddMinutes(5) }).ToArray();
        await NewYorkRides.WriteLakeAsync(_root.Path, replayed, Token, firstOffset: 1_000_000);
        var afterReplay = await warehouse.RevenueAsync(model, Token);
        Assert.Equal(Totals(before), Totals(afterReplay));

        var repriced = rides.Take(10).Select(r => r with { PriceTotal = r.PriceTotal + 1, AgentTimestampUtc = r.AgentTimestampUtc.AddMinutes(10) }).ToArray();
        await NewYorkRides.WriteLakeAsync(_root.Path, repriced, Token, firstOffset: 2_000_000);
        var afterRepricing = await warehouse.RevenueAsync(model, Token);
        Assert.Equal(400, afterRepricing.Sum(r => r.Count));
        Assert.Equal(Totals(before).Revenue + 10, Totals(afterRepricing).Revenue);
        Assert.Equal(400, (await warehouse.AssignAsync(model, Token)).Count);
        Assert.Equal(400, (await warehouse.RevenueByComfortAsync(Token)).Sum(r => r.Count));

        static (long Count, decimal Revenue) Totals(IReadOnlyList<RevenueRow> rows) => (rows.Sum(r => r.Count), rows.Sum(r => r.Revenue));
    }

    [Fact]
    public async Task An_empty_lake_has_no_revenue()
    {
        var model = NewYorkRides.Model(NewYorkRides.DyadicStandardization);
        await using var warehouse = new DuckDbWarehouse(Path.Combine(_root.Path, "never-written"));

        Assert.Empty(await warehouse.RevenueAsync(model, Token));
        Assert.Empty(await warehouse.AssignAsync(model, Token));
        Assert.Empty(await warehouse.RevenueByComfortAsync(Token));
    }

    [Fact]
    public async Task Files_renamed_into_the_lake_after_a_query_are_in_the_next_one_and_temporaries_never()
    {
        var model = NewYorkRides.Model(NewYorkRides.DyadicStandardization);
        var rides = NewYorkRides.Generate(3000, hours: 2);
        await using var warehouse = new DuckDbWarehouse(_root.Path);
        Assert.Empty(await warehouse.RevenueAsync(model, Token));

        await NewYorkRides.WriteLakeAsync(_root.Path, rides[..1000], Token);
        Assert.Equal(1000, (await warehouse.RevenueAsync(model, Token)).Sum(r => r.Count));

        // A file mid-write is a hidden temporary next to its final name: the warehouse must not read it.
        var someHour = Directory.EnumerateFiles(_root.Path, "*.parquet", SearchOption.AllDirectories).First();
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(someHour)!, ".part-9-0.parquet.0123.tmp"), "half a file");
        await NewYorkRides.WriteLakeAsync(_root.Path, rides[1000..], Token, firstOffset: 1000);
        Assert.Equal(3000, (await warehouse.RevenueAsync(model, Token)).Sum(r => r.Count));
    }

    [Fact]
    public async Task A_custom_prefix_reads_only_its_own_files()
    {
        var model = NewYorkRides.Model(NewYorkRides.DyadicStandardization);
        await NewYorkRides.WriteLakeAsync(_root.Path, NewYorkRides.Generate(200, hours: 1), Token);
        await using var other = new DuckDbWarehouse(_root.Path, "rides/elsewhere/");
        await using var processed = new DuckDbWarehouse(_root.Path, "rides/processed/");

        Assert.Empty(await other.RevenueAsync(model, Token));
        Assert.Equal(200, (await processed.RevenueAsync(model, Token)).Sum(r => r.Count));
    }

    private static bool IsTie(KMeansModel model, FlatRide ride, int idA, int idB)
    {
        var (x, y) = model.Standardization.Apply(new GeoPoint(ride.OriginLat, ride.OriginLon));
        var distances = model.Centroids.ToDictionary(c => c.Id, c =>
        {
            var (cx, cy) = model.Standardization.Apply(new GeoPoint(c.Lat, c.Lon));
            return (x - cx) * (x - cx) + (y - cy) * (y - cy);
        });
        return distances[idA] == distances[idB] && distances.Values.Min() == distances[idA];
    }

    /// <summary>A price as the lake holds it (a double of cents) in exact cents: the warehouse sums those, with no float noise.</summary>
    private static decimal Cents(double price) => Math.Round((decimal)price, 2);
}
