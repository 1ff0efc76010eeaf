using Datastream.Core.Rides;
using Datastream.Embedded.Index;
using static Datastream.Index.Testing.RideSamples;

namespace Datastream.Embedded.Tests.Index;

/// <summary>
/// The write path binds every field of every ride through the ride schema; it must allocate nothing per ride (what a
/// call allocates does not grow with its size). An uncontended upsert runs on the caller's thread, so the thread's
/// allocation counter sees all of it.
/// </summary>
public sealed class UpsertAllocationTests
{
    [Fact]
    public async Task An_upsert_allocates_nothing_per_ride()
    {
        using var dir = new TemporaryDirectory();
        await using var index = new SqliteRideIndex(new EmbeddedIndexOptions(dir.Path));
        // Warm up, larger than the measured calls, so statements are prepared and the writer's maps have their size.
        await index.UpsertAsync(Rides(0, 4_000), TestContext.Current.CancellationToken);
        List<FlatRide> small = Rides(10_000, 1_000), large = Rides(20_000, 3_000);
        List<FlatRide> overwrites = [.. large.Select(r => r with { PriceTotal = r.PriceTotal + 1 })];

        long smallBytes = Allocated(index, small);
        long largeBytes = Allocated(index, large);
        long overwriteBytes = Allocated(index, overwrites);

        Assert.True(largeBytes - smallBytes < 2_000, $"{smallBytes} bytes for 1000 new rides, {largeBytes} for 3000");
        Assert.True(overwriteBytes - smallBytes < 2_000, $"{smallBytes} bytes for 1000 new rides, {overwriteBytes} for 3000 overwrites");
    }

    private static long Allocated(SqliteRideIndex index, List<FlatRide> rides)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var pending = index.UpsertAsync(rides);
        Assert.True(pending.IsCompleted, "an uncontended upsert completes on the caller's thread");
        Assert.Empty(pending.Result);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
