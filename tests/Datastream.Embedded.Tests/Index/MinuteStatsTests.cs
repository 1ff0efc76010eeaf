using Datastream.Core.Rides;
using static Datastream.Embedded.Tests.Index.IndexScenario;

namespace Datastream.Embedded.Tests.Index;

public sealed class MinuteStatsTests
{
    [Fact]
    public async Task Minutes_are_returned_for_from_inclusive_to_exclusive_in_minute_then_comfort_order()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        // Rides at the very start and the very end of minutes 0..4.
        var rides = Enumerable.Range(0, 5).SelectMany(m => new[]
        {
            Ride(m * 10) with { TsUtc = Start.AddMinutes(m), Comfort = Comfort.High, PriceTotal = 10 },
            Ride(m * 10 + 1) with { TsUtc = Start.AddMinutes(m + 1).AddMilliseconds(-1), Comfort = Comfort.Low, PriceTotal = 20 },
        }).ToList();
        await index.UpsertAsync(rides, Ct);

        var stats = await index.MinuteStatsAsync(Start.AddMinutes(1), Start.AddMinutes(4), Ct);

        Assert.Equal(
            [
                (Start.AddMinutes(1), Comfort.Low), (Start.AddMinutes(1), Comfort.High),
                (Start.AddMinutes(2), Comfort.Low), (Start.AddMinutes(2), Comfort.High),
                (Start.AddMinutes(3), Comfort.Low), (Start.AddMinutes(3), Comfort.High),
            ],
            stats.Select(s => (s.MinuteUtc, s.Comfort)));
        Assert.All(stats, s => Assert.Equal(DateTimeKind.Utc, s.MinuteUtc.Kind));
        Assert.All(stats, s => Assert.Equal((1L, s.Comfort == Comfort.High ? 10.0 : 20.0), (s.Count, s.SumPriceTotal)));
        Assert.Empty(await index.MinuteStatsAsync(Start.AddMinutes(2), Start.AddMinutes(2), Ct));
        Assert.Equal(10, (await index.MinuteStatsAsync(Start, Start.AddMinutes(5), Ct)).Count);
    }

    [Fact]
    public async Task A_minute_sums_count_distance_and_price_of_its_rides()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var rides = Enumerable.Range(0, 9)
            .Select(i => Ride(i) with { TsUtc = Start.AddSeconds(i * 6), Comfort = Comfort.Medium, DistanceKm = i, PriceTotal = 2.5 * i })
            .ToList();
        await index.UpsertAsync(rides, Ct);

        var only = Assert.Single(await index.MinuteStatsAsync(Start, Start.AddMinutes(1), Ct));
        Assert.Equal(new(Start, Comfort.Medium, 9, 36, 90), only);
    }
}
