using Datastream.Core.Rides;
using Datastream.Pipelines.Search;

namespace Datastream.Index.Testing;

/// <summary>
/// Generated rides for the tests of the index port (embedded and Elasticsearch), the state an index should hold after
/// a series of upserts, and the rollups a GROUP BY over them would give.
/// </summary>
public static class RideSamples
{
    public static readonly DateTime Start = new(2025, 10, 30, 16, 0, 0, DateTimeKind.Utc);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Ride number i: a ride_id of its own (the same for the same i), ts spread over ~20 minutes from <see cref="Start"/>
    /// out of order with i (and so with agent_timestamp), distinct for i &lt; 1,200,000; comfort cycling, distinct
    /// prices; whole milliseconds (what the indexes store).
    /// </summary>
    public static FlatRide Ride(int i)
    {
        var random = new Random(i);
        var distance = Math.Round(random.NextDouble() * 30, 3);
        return new FlatRide(
            new Guid(i, 0x4d3b, 0x23f5, [0xa1, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, (byte)(i % 251)]),
            Start.AddMilliseconds(i * 7_919L % 1_200_000),
            (Comfort)(i % 3),
            40.70 + random.NextDouble() / 10, -74.00 + random.NextDouble() / 10,
            40.70 + random.NextDouble() / 10, -74.00 + random.NextDouble() / 10,
            Math.Round(random.NextDouble() * 60, 2),
            2.0, 1.1, 0.3,
            distance,
            Math.Round(5 + distance * 1.7 + i % 100 / 100.0, 2),
            Start.AddHours(1).AddMilliseconds(i));
    }

    public static List<FlatRide> Rides(int from, int count) => Enumerable.Range(from, count).Select(Ride).ToList();

    /// <summary>What the index should hold after these calls: the last write per ride_id.</summary>
    public static Dictionary<Guid, FlatRide> LastWriteWins(params IEnumerable<FlatRide>[] calls)
    {
        var state = new Dictionary<Guid, FlatRide>();
        foreach (var ride in calls.SelectMany(c => c))
        {
            state[ride.RideId] = ride;
        }

        return state;
    }

    /// <summary>The brute-force rollups: GROUP BY minute of ts, comfort.</summary>
    public static List<MinuteComfortStats> GroupByMinute(IEnumerable<FlatRide> rides) =>
        rides.GroupBy(r => (Minute: new DateTime(r.TsUtc.Ticks - r.TsUtc.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc), r.Comfort))
            .Select(g => new MinuteComfortStats(g.Key.Minute, g.Key.Comfort, g.Count(), g.Sum(r => r.DistanceKm), g.Sum(r => r.PriceTotal)))
            .OrderBy(s => s.MinuteUtc).ThenBy(s => s.Comfort)
            .ToList();

    /// <summary>The index's count and all its minute stats equal the brute-force rollups of the rides it should hold.</summary>
    public static async Task AssertRollupsMatchAsync(IRideSearch index, IEnumerable<FlatRide> held)
    {
        var expected = GroupByMinute(held);
        var actual = await index.MinuteStatsAsync(DateTime.MinValue, DateTime.MaxValue, Ct);
        Assert.Equal(expected.Select(s => (s.MinuteUtc, s.Comfort, s.Count)), actual.Select(s => (s.MinuteUtc, s.Comfort, s.Count)));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].SumDistanceKm, actual[i].SumDistanceKm, 6);
            Assert.Equal(expected[i].SumPriceTotal, actual[i].SumPriceTotal, 6);
        }

        Assert.All(actual, s => Assert.Equal(DateTimeKind.Utc, s.MinuteUtc.Kind));
        Assert.Equal(expected.Sum(s => s.Count), await index.CountAsync(Ct));
    }
}
