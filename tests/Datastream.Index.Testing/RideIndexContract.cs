using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.Search;
using static Datastream.Index.Testing.RideSamples;

namespace Datastream.Index.Testing;

/// <summary>
/// The contract of the index engines, through both ports (<see cref="IRideIndexWriter"/>, what index-and-export
/// writes, and <see cref="IRideSearch"/>, what the web app reads): what every engine does the same way. Each engine's
/// test project derives a class that opens its index; xunit runs these tests once per derived class.
/// </summary>
/// <typeparam name="TIndex">The engine, which implements both ports.</typeparam>
public abstract class RideIndexContract<TIndex>
    where TIndex : IRideIndexWriter, IRideSearch
{
    private static readonly List<FlatRide> Held = Rides(0, 900);

    /// <summary>
    /// An empty index, or the one the test opened before (same storage), reopened. The caller disposes it; the derived
    /// class cleans the storage up after the test.
    /// </summary>
    protected abstract Task<TIndex> OpenAsync();

    /// <summary>What <see cref="IRideSearch.Engine"/> and <see cref="IRideIndexWriter.Engine"/> say.</summary>
    protected abstract string ExpectedEngine { get; }

    /// <summary>
    /// The order a search returns these rides in, written once each in one upsert call in this order: newest ts first
    /// for every engine; rides with equal ts in an order of the engine's (the port only requires it to be stable so
    /// pages neither overlap nor leave gaps).
    /// </summary>
    protected abstract IEnumerable<FlatRide> InSearchOrder(IReadOnlyList<FlatRide> writtenInOneCall);

    public static TheoryData<string> Filters => new(
        "from", "to", "comfort", "min_price", "max_price", "ride_id", "time_range", "comfort_and_price", "all", "none");

    /// <summary>A query and the predicate it means, computed here over the rides the test sent.</summary>
    private static (RideQuery Query, Func<FlatRide, bool> Matches) Filter(string name)
    {
        var from = Start.AddMinutes(4).AddSeconds(30);
        var to = Start.AddMinutes(11);
        var id = Held[417].RideId;
        return name switch
        {
            "from" => (new() { FromUtc = from }, r => r.TsUtc >= from),
            "to" => (new() { ToUtc = to }, r => r.TsUtc < to),
            "comfort" => (new() { Comfort = Comfort.Medium }, r => r.Comfort == Comfort.Medium),
            "min_price" => (new() { MinPrice = 40 }, r => r.PriceTotal >= 40),
            "max_price" => (new() { MaxPrice = 20 }, r => r.PriceTotal <= 20),
            "ride_id" => (new() { RideId = id }, r => r.RideId == id),
            "time_range" => (new() { FromUtc = from, ToUtc = to }, r => r.TsUtc >= from && r.TsUtc < to),
            "comfort_and_price" => (new() { Comfort = Comfort.High, MinPrice = 15, MaxPrice = 35 },
                r => r.Comfort == Comfort.High && r.PriceTotal is >= 15 and <= 35),
            "all" => (new() { FromUtc = from, ToUtc = to, Comfort = Comfort.Low, MinPrice = 10, MaxPrice = 50, RideId = Held[3].RideId },
                r => r.TsUtc >= from && r.TsUtc < to && r.Comfort == Comfort.Low && r.PriceTotal is >= 10 and <= 50 && r.RideId == Held[3].RideId),
            "none" => (new(), _ => true),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_filter_alone_and_combined_returns_exactly_the_matching_rides_newest_first(string name)
    {
        await using var index = await OpenAsync();
        await index.UpsertAsync(Held, Ct);
        var (query, matches) = Filter(name);
        var expected = InSearchOrder(Held).Where(matches).ToList();

        var page = await index.SearchAsync(query with { Limit = 1_000 }, Ct);

        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected, page.Rides);
        if (name is not ("ride_id" or "all"))
        {
            Assert.True(expected.Count > 10, "the filter should match a good share of the rides");
        }
    }

    [Fact]
    public async Task Pages_walk_the_matches_in_order_without_gaps_or_overlap_even_with_equal_ts()
    {
        await using var index = await OpenAsync();
        // Every third ride shares its ts with the next: the tie-breaker decides their order.
        var rides = Held.Select((r, i) => i % 3 == 1 ? r with { TsUtc = Held[i - 1].TsUtc } : r).ToList();
        await index.UpsertAsync(rides, Ct);
        var query = new RideQuery { Comfort = Comfort.Low, Limit = 37 };
        var expected = InSearchOrder(rides).Where(r => r.Comfort == Comfort.Low).ToList();

        var walked = new List<FlatRide>();
        for (var offset = 0; offset < expected.Count + 37; offset += 37)
        {
            var page = await index.SearchAsync(query with { Offset = offset }, Ct);
            Assert.Equal(expected.Count, page.Total);
            Assert.Equal(Math.Clamp(expected.Count - offset, 0, 37), page.Rides.Count);
            walked.AddRange(page.Rides);
        }

        Assert.Equal(expected, walked);
        Assert.Equal(walked.OrderByDescending(r => r.TsUtc).Select(r => r.TsUtc), walked.Select(r => r.TsUtc));
        var first = await index.SearchAsync(new RideQuery(), Ct);
        Assert.Equal((900L, 50), (first.Total, first.Rides.Count));
        var none = await index.SearchAsync(new RideQuery { Limit = 0 }, Ct);
        Assert.Equal((900L, 0), (none.Total, none.Rides.Count));
    }

    [Fact]
    public async Task Rides_with_the_same_ts_page_deterministically()
    {
        await using var index = await OpenAsync();
        // Written neither in ride_id order nor in its reverse, so each engine's tie-breaker shows.
        var same = new[] { 0, 7, 4, 1, 8, 5, 2, 9, 6, 3 }.Select(i => Ride(i) with { TsUtc = Start }).ToList();
        await index.UpsertAsync(same, Ct);

        var pages = new List<FlatRide>();
        for (var offset = 0; offset < 10; offset += 3)
        {
            pages.AddRange((await index.SearchAsync(new RideQuery { Offset = offset, Limit = 3 }, Ct)).Rides);
        }

        Assert.Equal(same.Select(r => r.RideId).Order(), pages.Select(r => r.RideId).Order());
        Assert.Equal(InSearchOrder(same), pages);
    }

    [Fact]
    public async Task A_ride_id_lookup_finds_the_exact_ride_as_written_with_utc_instants_or_nothing()
    {
        await using var index = await OpenAsync();
        await index.UpsertAsync(Held, Ct);

        var found = await index.SearchAsync(new RideQuery { RideId = Held[123].RideId }, Ct);
        var missing = await index.SearchAsync(new RideQuery { RideId = Guid.NewGuid() }, Ct);

        Assert.Equal(1, found.Total);
        var ride = Assert.Single(found.Rides);
        Assert.Equal(Held[123], ride);
        Assert.Equal((DateTimeKind.Utc, DateTimeKind.Utc), (ride.TsUtc.Kind, ride.AgentTimestampUtc.Kind));
        Assert.Equal(0, missing.Total);
        Assert.Empty(missing.Rides);
    }

    [Fact]
    public async Task Latest_returns_the_most_recently_indexed_rides_by_agent_timestamp()
    {
        await using var index = await OpenAsync();
        await index.UpsertAsync(Held, Ct);
        // A replay of ride 5 is stamped later than everything else.
        var replayed = Held[5] with { AgentTimestampUtc = Start.AddDays(1) };
        await index.UpsertAsync([replayed], Ct);

        var latest = await index.LatestAsync(4, Ct);

        Assert.Equal([replayed, Held[899], Held[898], Held[897]], latest);
        Assert.Equal(900, (await index.LatestAsync(5_000, Ct)).Count);
        Assert.Empty(await index.LatestAsync(0, Ct));
    }

    [Fact]
    public async Task Upserted_rides_are_counted_and_rolled_up_per_minute_and_comfort()
    {
        await using var index = await OpenAsync();
        var rides = Rides(0, 1_000);

        var rejections = await index.UpsertAsync(rides, Ct);

        Assert.Empty(rejections);
        Assert.Equal(ExpectedEngine, ((IRideIndexWriter)index).Engine);
        Assert.Equal(ExpectedEngine, ((IRideSearch)index).Engine);
        Assert.Equal(1_000, await index.CountAsync(Ct));
        await AssertRollupsMatchAsync(index, rides);
    }

    [Fact]
    public async Task Minute_stats_cover_minutes_starting_in_from_inclusive_to_exclusive_in_minute_then_comfort_order()
    {
        await using var index = await OpenAsync();
        // Rides at the very start and the very end of minutes 0..4.
        var rides = Enumerable.Range(0, 5).SelectMany(m => new[]
        {
            Ride(m * 10) with { TsUtc = Start.AddMinutes(m), Comfort = Comfort.High, PriceTotal = 10 },
            Ride(m * 10 + 1) with { TsUtc = Start.AddMinutes(m + 1).AddMilliseconds(-1), Comfort = Comfort.Low, PriceTotal = 20 },
        }).ToList();
        await index.UpsertAsync(rides, Ct);

        var stats = await index.MinuteStatsAsync(Start.AddMinutes(1), Start.AddMinutes(4), Ct);
        // Bounds inside a minute: minute 1 starts before 1:30 and is out; minute 3 starts before 3:30 and is in.
        var inner = await index.MinuteStatsAsync(Start.AddMinutes(1).AddSeconds(30), Start.AddMinutes(3).AddSeconds(30), Ct);

        Assert.Equal(
            [
                (Start.AddMinutes(1), Comfort.Low), (Start.AddMinutes(1), Comfort.High),
                (Start.AddMinutes(2), Comfort.Low), (Start.AddMinutes(2), Comfort.High),
                (Start.AddMinutes(3), Comfort.Low), (Start.AddMinutes(3), Comfort.High),
            ],
            stats.Select(s => (s.MinuteUtc, s.Comfort)));
        Assert.All(stats, s => Assert.Equal(DateTimeKind.Utc, s.MinuteUtc.Kind));
        Assert.All(stats, s => Assert.Equal((1L, s.Comfort == Comfort.High ? 10.0 : 20.0), (s.Count, s.SumPriceTotal)));
        Assert.Equal([Start.AddMinutes(2), Start.AddMinutes(3)], inner.Select(s => s.MinuteUtc).Distinct());
        Assert.Empty(await index.MinuteStatsAsync(Start.AddMinutes(2), Start.AddMinutes(2), Ct));
        Assert.Equal(10, (await index.MinuteStatsAsync(Start, Start.AddMinutes(5), Ct)).Count);
    }

    [Fact]
    public async Task A_minute_sums_count_distance_and_price_of_its_rides()
    {
        await using var index = await OpenAsync();
        var rides = Enumerable.Range(0, 9)
            .Select(i => Ride(i) with { TsUtc = Start.AddSeconds(i * 6), Comfort = Comfort.Medium, DistanceKm = i, PriceTotal = 2.5 * i })
            .ToList();
        await index.UpsertAsync(rides, Ct);

        var only = Assert.Single(await index.MinuteStatsAsync(Start, Start.AddMinutes(1), Ct));
        Assert.Equal(new(Start, Comfort.Medium, 9, 36, 90), only);
    }

    [Fact]
    public async Task Before_the_first_write_the_index_reads_as_empty()
    {
        await using var index = await OpenAsync();

        Assert.Equal(0, await index.CountAsync(Ct));
        Assert.Equal((0L, 0), (await index.SearchAsync(new RideQuery(), Ct)) is var page ? (page.Total, page.Rides.Count) : default);
        Assert.Empty(await index.LatestAsync(10, Ct));
        Assert.Empty(await index.MinuteStatsAsync(DateTime.MinValue, DateTime.MaxValue, Ct));
    }

    [Fact]
    public async Task An_empty_call_writes_nothing()
    {
        await using var index = await OpenAsync();

        Assert.Empty(await index.UpsertAsync([], Ct));
        Assert.Equal(0, await index.CountAsync(Ct));
        Assert.Empty(await index.LatestAsync(10, Ct));
    }

    [Fact]
    public async Task Replaying_the_same_rides_changes_neither_count_nor_rollups()
    {
        await using var index = await OpenAsync();
        var rides = Rides(0, 600);
        await index.UpsertAsync(rides, Ct);

        // A replay re-stamps agent_timestamp; a second one in smaller, shuffled calls.
        await index.UpsertAsync(rides.Select(r => r with { AgentTimestampUtc = r.AgentTimestampUtc.AddMinutes(5) }).ToList(), Ct);
        foreach (var chunk in rides.OrderBy(r => r.RideId).Chunk(70))
        {
            await index.UpsertAsync(chunk, Ct);
        }

        Assert.Equal(600, await index.CountAsync(Ct));
        await AssertRollupsMatchAsync(index, rides);
    }

    [Fact]
    public async Task Overwriting_a_ride_moves_its_contribution_to_its_new_minute_and_comfort()
    {
        await using var index = await OpenAsync();
        var first = Rides(0, 300);
        await index.UpsertAsync(first, Ct);

        // Every third ride changes: another minute, another comfort, another price; mixed with new rides.
        var changed = first.Where((_, i) => i % 3 == 0)
            .Select((r, i) => r with
            {
                TsUtc = r.TsUtc.AddMinutes(1 + i % 7).AddSeconds(13),
                Comfort = (Comfort)(((int)r.Comfort + 1 + i % 2) % 3),
                PriceTotal = r.PriceTotal + 10.25,
                DistanceKm = r.DistanceKm / 2,
            })
            .ToList();
        var fresh = Rides(300, 50);
        await index.UpsertAsync([.. changed, .. fresh], Ct);

        var held = LastWriteWins(first, changed, fresh).Values;
        Assert.Equal(350, await index.CountAsync(Ct));
        await AssertRollupsMatchAsync(index, held);
        var stored = await index.SearchAsync(new() { RideId = changed[5].RideId }, Ct);
        Assert.Equal(changed[5], Assert.Single(stored.Rides));
    }

    [Fact]
    public async Task A_ride_moved_out_of_a_minute_leaves_no_empty_rollup_row()
    {
        await using var index = await OpenAsync();
        var ride = Ride(1);
        await index.UpsertAsync([ride], Ct);

        var moved = ride with { TsUtc = ride.TsUtc.AddHours(2), Comfort = Comfort.High };
        await index.UpsertAsync([moved], Ct);

        var stats = await index.MinuteStatsAsync(DateTime.MinValue, DateTime.MaxValue, Ct);
        var only = Assert.Single(stats);
        Assert.Equal((Comfort.High, 1L, moved.PriceTotal), (only.Comfort, only.Count, only.SumPriceTotal));
    }

    [Fact]
    public async Task The_same_ride_twice_in_one_call_counts_once_and_the_last_occurrence_wins()
    {
        await using var index = await OpenAsync();
        var rides = Rides(0, 200);
        var later = rides.Take(50).Select(r => r with { PriceTotal = r.PriceTotal + 1, TsUtc = r.TsUtc.AddMinutes(3) }).ToList();
        // Also a ride that already exists, repeated within a later call.
        await index.UpsertAsync([.. rides, .. later, .. rides.Skip(150)], Ct);
        var again = rides[199] with { Comfort = Comfort.Medium };
        await index.UpsertAsync([rides[199], again, rides[0]], Ct);

        var held = LastWriteWins(rides, later, rides.Skip(150), [rides[199], again, rides[0]]).Values;
        Assert.Equal(200, await index.CountAsync(Ct));
        await AssertRollupsMatchAsync(index, held);
        Assert.Equal(again, Assert.Single((await index.SearchAsync(new() { RideId = again.RideId }, Ct)).Rides));
    }
}
