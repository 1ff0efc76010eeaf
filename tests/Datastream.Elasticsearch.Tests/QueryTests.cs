using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using static Datastream.Elasticsearch.Tests.RideSamples;

namespace Datastream.Elasticsearch.Tests;

/// <summary>The reads of the index port, with the embedded index's semantics, evaluated by the fake for real.</summary>
public sealed class QueryTests
{
    private static readonly List<FlatRide> Held = Rides(0, 900);

    public static TheoryData<string> Filters => new(
        "from", "to", "comfort", "min_price", "max_price", "ride_id", "time_range", "comfort_and_price", "all", "none");

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
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        await index.UpsertAsync(Held, Ct);
        var (query, matches) = Filter(name);
        var expected = Held.Where(matches).OrderByDescending(r => r.TsUtc).ThenByDescending(r => r.RideId.ToString("D"), StringComparer.Ordinal).ToList();

        var page = await index.SearchAsync(query with { Limit = 1_000 }, Ct);

        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected, page.Rides);
        if (name is not ("ride_id" or "all"))
            Assert.True(expected.Count > 10, "the filter should match a good share of the rides");
    }

    [Fact]
    public async Task Pages_walk_the_matches_in_order_without_gaps_or_overlap_even_with_equal_ts()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        // Every third ride shares its ts with the next: the tie-breaker decides their order.
        var rides = Held.Select((r, i) => i % 3 == 1 ? r with { TsUtc = Held[i - 1].TsUtc } : r).ToList();
        await index.UpsertAsync(rides, Ct);
        var query = new RideQuery { Comfort = Comfort.Low, Limit = 37 };
        int expected = rides.Count(r => r.Comfort == Comfort.Low);

        var walked = new List<FlatRide>();
        for (var offset = 0; offset < expected + 37; offset += 37)
        {
            var page = await index.SearchAsync(query with { Offset = offset }, Ct);
            Assert.Equal(expected, page.Total);
            Assert.Equal(Math.Clamp(expected - offset, 0, 37), page.Rides.Count);
            walked.AddRange(page.Rides);
        }

        Assert.Equal(rides.Where(r => r.Comfort == Comfort.Low).Select(r => r.RideId).ToHashSet(), walked.Select(r => r.RideId).ToHashSet());
        Assert.Equal(expected, walked.Count);
        Assert.Equal(walked.OrderByDescending(r => r.TsUtc).ToList().Select(r => r.TsUtc), walked.Select(r => r.TsUtc));
        var first = await index.SearchAsync(new RideQuery(), Ct);
        Assert.Equal((900L, 50), (first.Total, first.Rides.Count));
        var none = await index.SearchAsync(new RideQuery { Limit = 0 }, Ct);
        Assert.Equal((900L, 0), (none.Total, none.Rides.Count));
    }

    [Fact]
    public async Task A_ride_read_back_equals_the_ride_written_with_utc_instants()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        await index.UpsertAsync(Held, Ct);

        var found = await index.SearchAsync(new RideQuery { RideId = Held[123].RideId }, Ct);
        var missing = await index.SearchAsync(new RideQuery { RideId = Guid.NewGuid() }, Ct);

        var ride = Assert.Single(found.Rides);
        Assert.Equal(Held[123], ride);
        Assert.Equal((DateTimeKind.Utc, DateTimeKind.Utc), (ride.TsUtc.Kind, ride.AgentTimestampUtc.Kind));
        Assert.Equal(0, missing.Total);
        Assert.Empty(missing.Rides);
    }

    [Fact]
    public async Task Latest_returns_the_most_recently_indexed_rides_by_agent_timestamp()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        await index.UpsertAsync(Held, Ct);
        var replayed = Held[5] with { AgentTimestampUtc = Start.AddDays(1) };
        await index.UpsertAsync([replayed], Ct);

        var latest = await index.LatestAsync(4, Ct);

        Assert.Equal([replayed, Held[899], Held[898], Held[897]], latest);
        Assert.Equal(900, (await index.LatestAsync(5_000, Ct)).Count);
        Assert.Empty(await index.LatestAsync(0, Ct));
    }

    [Fact]
    public async Task Count_and_minute_stats_match_a_group_by_over_the_rides_held()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        await index.UpsertAsync(Held, Ct);

        var expected = GroupByMinute(Held);
        var actual = await index.MinuteStatsAsync(DateTime.MinValue, DateTime.MaxValue, Ct);

        Assert.Equal(900, await index.CountAsync(Ct));
        Assert.Equal(expected.Select(s => (s.MinuteUtc, s.Comfort, s.Count)), actual.Select(s => (s.MinuteUtc, s.Comfort, s.Count)));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].SumDistanceKm, actual[i].SumDistanceKm, 6);
            Assert.Equal(expected[i].SumPriceTotal, actual[i].SumPriceTotal, 6);
        }

        Assert.All(actual, s => Assert.Equal(DateTimeKind.Utc, s.MinuteUtc.Kind));
    }

    [Fact]
    public async Task Minute_stats_cover_minutes_starting_in_from_inclusive_to_exclusive()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
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
        Assert.All(stats, s => Assert.Equal((1L, s.Comfort == Comfort.High ? 10.0 : 20.0), (s.Count, s.SumPriceTotal)));
        Assert.Equal([Start.AddMinutes(2), Start.AddMinutes(3)], inner.Select(s => s.MinuteUtc).Distinct());
        Assert.Empty(await index.MinuteStatsAsync(Start.AddMinutes(2), Start.AddMinutes(2), Ct));
    }

    [Fact]
    public async Task Before_the_first_write_the_index_reads_as_empty()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);

        Assert.Equal(0, await index.CountAsync(Ct));
        Assert.Equal((0L, 0), (await index.SearchAsync(new RideQuery(), Ct)) is var page ? (page.Total, page.Rides.Count) : default);
        Assert.Empty(await index.LatestAsync(10, Ct));
        Assert.Empty(await index.MinuteStatsAsync(DateTime.MinValue, DateTime.MaxValue, Ct));
    }

    [Fact]
    public async Task A_page_beyond_the_result_window_is_a_clear_error()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        await index.UpsertAsync(Held, Ct);

        var error = await Assert.ThrowsAsync<ElasticsearchRequestException>(() => index.SearchAsync(new RideQuery { Offset = 9_990, Limit = 50 }, Ct).AsTask());

        Assert.Contains("Result window is too large", error.Message);
    }
}
