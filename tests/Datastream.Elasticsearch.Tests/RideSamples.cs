using Datastream.Core.Rides;
using Datastream.Pipelines.Index;

namespace Datastream.Elasticsearch.Tests;

/// <summary>Generated rides and an adapter pointed at a fake, with retries fast enough for tests.</summary>
internal static class RideSamples
{
    public static readonly DateTime Start = new(2025, 10, 30, 16, 0, 0, DateTimeKind.Utc);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ElasticsearchIndexOptions Options(FakeElasticsearch fake) => new()
    {
        Nodes = [fake.Uri],
        MinRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(4),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static ElasticsearchRideIndex Open(FakeElasticsearch fake, Func<ElasticsearchIndexOptions, ElasticsearchIndexOptions>? configure = null) =>
        new((configure ?? (o => o))(Options(fake)));

    /// <summary>Ride number i: ts spread over ~20 minutes from <see cref="Start"/> out of order with i (and so with agent_timestamp), comfort cycling, distinct prices; whole milliseconds.</summary>
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

    /// <summary>The brute-force rollups: GROUP BY minute of ts, comfort.</summary>
    public static List<MinuteComfortStats> GroupByMinute(IEnumerable<FlatRide> rides) =>
        rides.GroupBy(r => (Minute: new DateTime(r.TsUtc.Ticks - r.TsUtc.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc), r.Comfort))
            .Select(g => new MinuteComfortStats(g.Key.Minute, g.Key.Comfort, g.Count(), g.Sum(r => r.DistanceKm), g.Sum(r => r.PriceTotal)))
            .OrderBy(s => s.MinuteUtc).ThenBy(s => s.Comfort)
            .ToList();
}
