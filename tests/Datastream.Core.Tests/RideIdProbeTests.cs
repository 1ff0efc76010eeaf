using System.Text;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

public sealed class RideIdProbeTests
{
    [Theory]
    [InlineData("""{"ride_id":"6f1c2a6e-4a7e-4a3e-9d7b-0c1f2e3d4a5b","origin":{"lat":99}}""", "6f1c2a6e-4a7e-4a3e-9d7b-0c1f2e3d4a5b")]
    [InlineData("""{"nested":{"ride_id":"x"},"ride_id":"6f1c2a6e-4a7e-4a3e-9d7b-0c1f2e3d4a5b"}""", "6f1c2a6e-4a7e-4a3e-9d7b-0c1f2e3d4a5b")]
    [InlineData("""{"ride_id":"not-a-guid"}""", null)]
    [InlineData("""{"ride_id":42}""", null)]
    [InlineData("""{"origin":{"ride_id":"6f1c2a6e-4a7e-4a3e-9d7b-0c1f2e3d4a5b"}}""", null)]
    [InlineData("""{"ride_id":""", null)]
    [InlineData("""[1,2]""", null)]
    [InlineData("", null)]
    public void Finds_the_top_level_ride_id_of_a_refused_record(string json, string? expected)
    {
        Assert.Equal(expected is null ? null : Guid.Parse(expected), RideIdProbe.Find(Encoding.UTF8.GetBytes(json)));
    }
}
