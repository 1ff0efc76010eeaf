using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using static Datastream.Embedded.Tests.Index.IndexScenario;

namespace Datastream.Embedded.Tests.Index;

public sealed class SearchTests
{
    private static readonly List<FlatRide> Held = Rides(0, 900);

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
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        await index.UpsertAsync(Held, Ct);
        var (query, matches) = Filter(name);
        var expected = Held.Where(matches).OrderByDescending(r => r.TsUtc).ToList();

        var page = await index.SearchAsync(query with { Limit = 1_000 }, Ct);

        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected, page.Rides);
        if (name is not ("ride_id" or "all"))
            Assert.True(expected.Count > 10, "the filter should match a good share of the rides");
    }

    [Fact]
    public async Task Pages_walk_the_matches_in_order_without_gaps_or_overlap()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        await index.UpsertAsync(Held, Ct);
        var query = new RideQuery { Comfort = Comfort.Low, Limit = 37 };
        var expected = Held.Where(r => r.Comfort == Comfort.Low).OrderByDescending(r => r.TsUtc).ToList();

        var walked = new List<FlatRide>();
        for (var offset = 0; offset < expected.Count + 37; offset += 37)
        {
            var page = await index.SearchAsync(query with { Offset = offset }, Ct);
            Assert.Equal(expected.Count, page.Total);
            Assert.Equal(Math.Clamp(expected.Count - offset, 0, 37), page.Rides.Count);
            walked.AddRange(page.Rides);
        }

        Assert.Equal(expected, walked);
        var first = await index.SearchAsync(new RideQuery(), Ct);
        Assert.Equal((900L, 50), (first.Total, first.Rides.Count));
        var none = await index.SearchAsync(new RideQuery { Limit = 0 }, Ct);
        Assert.Equal((900L, 0), (none.Total, none.Rides.Count));
    }

    [Fact]
    public async Task Rides_with_the_same_ts_page_deterministically()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var same = Rides(0, 10).Select(r => r with { TsUtc = Start }).ToList();
        await index.UpsertAsync(same, Ct);

        var pages = new List<FlatRide>();
        for (var offset = 0; offset < 10; offset += 3)
            pages.AddRange((await index.SearchAsync(new RideQuery { Offset = offset, Limit = 3 }, Ct)).Rides);

        Assert.Equal(same.Select(r => r.RideId).Order(), pages.Select(r => r.RideId).Order());
    }

    [Fact]
    public async Task A_ride_id_lookup_finds_the_exact_ride_or_nothing()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
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
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        await index.UpsertAsync(Held, Ct);
        // A replay of ride 5 is stamped later than everything else.
        var replayed = Held[5] with { AgentTimestampUtc = Start.AddDays(1) };
        await index.UpsertAsync([replayed], Ct);

        var latest = await index.LatestAsync(4, Ct);

        Assert.Equal([replayed, Held[899], Held[898], Held[897]], latest);
        Assert.Equal(900, (await index.LatestAsync(5_000, Ct)).Count);
        Assert.Empty(await index.LatestAsync(0, Ct));
    }
}
