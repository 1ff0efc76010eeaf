using Datastream.Core.Rides;

namespace Datastream.Lake.Tests;

/// <summary>The lake's row buffer, filled through the ride schema: every field lands in its column, and a ride costs no allocation.</summary>
public sealed class LakeFileBufferTests
{
    [Fact]
    public void Buffering_a_ride_allocates_nothing()
    {
        var rides = RideSamples.Generate(900);
        var buffer = new LakeFileBuffer(0, RideSamples.Start, 0);
        buffer.Add(rides[0]);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < rides.Length; i++)
        {
            buffer.Add(rides[i]);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(rides.Length, buffer.Count);
    }

    [Fact]
    public void Every_field_lands_in_its_column_also_after_growing()
    {
        var rides = RideSamples.Generate(2_500);
        var buffer = new LakeFileBuffer(0, RideSamples.Start, 0);
        foreach (var ride in rides)
        {
            buffer.Add(ride);
        }

        for (var i = 0; i < rides.Length; i++)
        {
            Assert.Equal(rides[i].RideId, buffer.RideIds[i]);
            Assert.Equal(rides[i].Comfort, buffer.Comforts[i]);
            Assert.Equal([rides[i].TsUtc, rides[i].AgentTimestampUtc], buffer.Instants.Select(c => c[i]));
            Assert.Equal(RideSchema.Numbers.Select(f => f.NumberOf(rides[i])), buffer.Numbers.Select(c => c[i]));
        }
    }
}
