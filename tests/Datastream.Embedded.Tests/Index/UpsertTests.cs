using Datastream.Core.Rides;
using static Datastream.Embedded.Tests.Index.IndexScenario;

namespace Datastream.Embedded.Tests.Index;

public sealed class UpsertTests
{
    [Fact]
    public async Task Upserted_rides_are_counted_and_rolled_up_per_minute_and_comfort()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var rides = Rides(0, 1_000);

        var rejections = await index.UpsertAsync(rides, Ct);

        Assert.Empty(rejections);
        Assert.Equal("embedded", index.Engine);
        Assert.Equal(1_000, await index.CountAsync(Ct));
        await AssertRollupsMatchAsync(index, rides);
    }

    [Fact]
    public async Task Replaying_the_same_rides_changes_neither_count_nor_rollups()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var rides = Rides(0, 600);
        await index.UpsertAsync(rides, Ct);

        // A replay re-stamps agent_timestamp; a second one in smaller, shuffled calls.
        await index.UpsertAsync(rides.Select(r => r with { AgentTimestampUtc = r.AgentTimestampUtc.AddMinutes(5) }).ToList(), Ct);
        foreach (var chunk in rides.OrderBy(r => r.RideId).Chunk(70))
            await index.UpsertAsync(chunk, Ct);

        Assert.Equal(600, await index.CountAsync(Ct));
        await AssertRollupsMatchAsync(index, rides);
    }

    [Fact]
    public async Task Overwriting_a_ride_moves_its_contribution_to_its_new_minute_and_comfort()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
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
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
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
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
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

    [Fact]
    public async Task Rides_with_non_finite_numbers_are_rejected_and_the_rest_indexed()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);
        var rides = Rides(0, 10);
        var bad = rides[3] with { PriceTotal = double.NaN };
        var worse = rides[4] with { DistanceKm = double.PositiveInfinity };

        var rejections = await index.UpsertAsync([.. rides.Take(3), bad, worse, .. rides.Skip(5)], Ct);

        Assert.Equal([bad.RideId, worse.RideId], rejections.Select(r => r.RideId));
        Assert.Contains("price_total", rejections[0].Reason);
        Assert.Equal(8, await index.CountAsync(Ct));
        await AssertRollupsMatchAsync(index, rides.Where((_, i) => i is not (3 or 4)));
    }

    [Fact]
    public async Task An_index_reopened_after_dispose_keeps_its_rides_and_rollups()
    {
        using var dir = new TemporaryDirectory();
        var rides = Rides(0, 500);
        await using (var index = Open(dir))
            await index.UpsertAsync(rides, Ct);

        await using (var reopened = Open(dir))
        {
            await AssertRollupsMatchAsync(reopened, rides);
            var changed = rides[0] with { Comfort = Comfort.High, TsUtc = Start.AddDays(1) };
            await reopened.UpsertAsync([changed], Ct);
            await AssertRollupsMatchAsync(reopened, LastWriteWins(rides, [changed]).Values);
        }

        Assert.True(File.Exists(Path.Combine(dir.Path, "index.db")));
    }

    [Fact]
    public async Task An_empty_call_writes_nothing()
    {
        using var dir = new TemporaryDirectory();
        await using var index = Open(dir);

        Assert.Empty(await index.UpsertAsync([], Ct));
        Assert.Equal(0, await index.CountAsync(Ct));
        Assert.Empty(await index.LatestAsync(10, Ct));
    }
}
