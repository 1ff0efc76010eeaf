using Datastream.Core.Rides;
using Datastream.Embedded.Index;
using static Datastream.Index.Testing.RideSamples;

namespace Datastream.Embedded.Tests.Index;

/// <summary>Upserts as only the embedded index does them (the shared ones are in <see cref="EmbeddedRideIndexContractTests"/>).</summary>
public sealed class UpsertTests
{
    private static SqliteRideIndex Open(TemporaryDirectory dir) => new(new EmbeddedIndexOptions(dir.Path));

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
        {
            await index.UpsertAsync(rides, Ct);
        }

        await using (var reopened = Open(dir))
        {
            await AssertRollupsMatchAsync(reopened, rides);
            var changed = rides[0] with { Comfort = Comfort.High, TsUtc = Start.AddDays(1) };
            await reopened.UpsertAsync([changed], Ct);
            await AssertRollupsMatchAsync(reopened, LastWriteWins(rides, [changed]).Values);
        }

        Assert.True(File.Exists(Path.Combine(dir.Path, "index.db")));
    }
}
