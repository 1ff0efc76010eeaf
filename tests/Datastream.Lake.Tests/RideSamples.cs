using Datastream.Core.Rides;

namespace Datastream.Lake.Tests;

/// <summary>Deterministic rides for lake tests: event times spread over a few hours, at microsecond precision (what Parquet keeps).</summary>
internal static class RideSamples
{
    public static readonly DateTime Start = new(2024, 12, 31, 22, 0, 0, DateTimeKind.Utc);

    /// <summary><paramref name="count"/> rides spread over <paramref name="hours"/> hours from <see cref="Start"/>, interleaved.</summary>
    public static FlatRide[] Generate(int count, int hours = 3, int seed = 7)
    {
        var random = new Random(seed);
        var rides = new FlatRide[count];
        var idBytes = new byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(idBytes);
            var ts = Start.AddTicks(random.NextInt64(hours * TimeSpan.TicksPerHour) / 10 * 10);
            var distance = Math.Round(random.NextDouble() * 30, 3);
            var duration = Math.Round(random.NextDouble() * 60, 2);
            rides[i] = new FlatRide(
                new Guid(idBytes),
                ts,
                (Comfort)(i % 3),
                48.8 + random.NextDouble() / 10, 2.3 + random.NextDouble() / 10,
                48.8 + random.NextDouble() / 10, 2.3 + random.NextDouble() / 10,
                duration, 2.5, 1.2, 0.35, distance,
                Math.Round(2.5 + 1.2 * distance + 0.35 * duration, 2),
                ts.AddMilliseconds(random.Next(1, 5000)));
        }

        return rides;
    }
}
