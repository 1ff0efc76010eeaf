using Datastream.Core.Rides;
using Datastream.Embedded.Index;
using Datastream.Pipelines.Index;

namespace Datastream.Embedded.Tests.Index;

/// <summary>Shared steps of the index tests: generated rides, and the rollups a GROUP BY over them would give.</summary>
internal static class IndexScenario
{
    public static readonly DateTime Start = new(2025, 10, 30, 16, 0, 0, DateTimeKind.Utc);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static SqliteRideIndex Open(TemporaryDirectory dir) => new(new EmbeddedIndexOptions(dir.Path));

    /// <summary>
    /// Ride number i: ts spread over ~20 minutes from <see cref="Start"/>, comfort cycling, distinct prices.
    /// Times are whole milliseconds (what the index stores).
    /// </summary>
    public static FlatRide Ride(int i, Random? random = null)
    {
        random ??= new Random(i);
        var distance = Math.Round(random.NextDouble() * 30, 3);
        return new FlatRide(
            Guid.NewGuid(),
            Start.AddMilliseconds(i * 1_237L % 1_200_000),
            (Comfort)(i % 3),
            48.80 + random.NextDouble() / 10, 2.30 + random.NextDouble() / 10,
            48.80 + random.NextDouble() / 10, 2.30 + random.NextDouble() / 10,
            Math.Round(random.NextDouble() * 60, 2),
            2.5, 1.2, 0.3,
            distance,
            Math.Round(5 + distance * 1.7 + i % 100 / 100.0, 2),
            Start.AddHours(1).AddMilliseconds(i));
    }

    public static List<FlatRide> Rides(int from, int count) => Enumerable.Range(from, count).Select(i => Ride(i)).ToList();

    /// <summary>What the index should hold after these calls: the last write per ride_id.</summary>
    public static Dictionary<Guid, FlatRide> LastWriteWins(params IEnumerable<FlatRide>[] calls)
    {
        var state = new Dictionary<Guid, FlatRide>();
        foreach (var ride in calls.SelectMany(c => c))
            state[ride.RideId] = ride;
        return state;
    }

    /// <summary>The brute-force rollups: GROUP BY minute of ts, comfort over the rides currently held.</summary>
    public static List<MinuteComfortStats> GroupByMinute(IEnumerable<FlatRide> rides) =>
        rides.GroupBy(r => (Minute: new DateTime(r.TsUtc.Ticks - r.TsUtc.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc), r.Comfort))
            .Select(g => new MinuteComfortStats(g.Key.Minute, g.Key.Comfort, g.Count(), g.Sum(r => r.DistanceKm), g.Sum(r => r.PriceTotal)))
            .OrderBy(s => s.MinuteUtc).ThenBy(s => s.Comfort)
            .ToList();

    public static async Task AssertRollupsMatchAsync(SqliteRideIndex index, IEnumerable<FlatRide> held)
    {
        var expected = GroupByMinute(held);
        var actual = await index.MinuteStatsAsync(DateTime.MinValue, DateTime.MaxValue, Ct);
        Assert.Equal(expected.Select(s => (s.MinuteUtc, s.Comfort, s.Count)), actual.Select(s => (s.MinuteUtc, s.Comfort, s.Count)));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].SumDistanceKm, actual[i].SumDistanceKm, 6);
            Assert.Equal(expected[i].SumPriceTotal, actual[i].SumPriceTotal, 6);
        }

        Assert.Equal(expected.Sum(s => s.Count), await index.CountAsync(Ct));
    }
}
