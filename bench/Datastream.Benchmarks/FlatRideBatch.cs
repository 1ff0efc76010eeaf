using Datastream.Core.Rides;

namespace Datastream.Benchmarks;

/// <summary>
/// Reproducible flattened rides as index-and-export hands them to its sinks: random ride ids (so index inserts land
/// all over the ride_id B-tree, as in production), ts rising 10 ms per ride from a fixed start, New York coordinates,
/// every comfort level, distances and prices of realistic magnitude.
/// </summary>
public static class FlatRideBatch
{
    private static readonly DateTime Start = new(2025, 10, 30, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The rides numbered [first, first + count) of the stream of <paramref name="seed"/>: ride n's ts is Start + 10 ms × n.</summary>
    public static FlatRide[] Generate(long first, int count, int seed)
    {
        var random = new Random(StreamSeed(seed, first));
        var rides = new FlatRide[count];
        Span<byte> id = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(id);
            var ts = Start.AddMilliseconds((first + i) * 10.0);
            var distance = Math.Round(0.5 + random.NextDouble() * 30, 3);
            var duration = Math.Round(3 + random.NextDouble() * 57, 1);
            rides[i] = new FlatRide(
                new Guid(id),
                ts,
                (Comfort)random.Next(3),
                Math.Round(40.55 + random.NextDouble() * 0.35, 6),
                Math.Round(-74.1 + random.NextDouble() * 0.4, 6),
                Math.Round(40.55 + random.NextDouble() * 0.35, 6),
                Math.Round(-74.1 + random.NextDouble() * 0.4, 6),
                duration,
                2.0,
                1.1,
                0.3,
                distance,
                Math.Round(2.0 + distance * 1.1 + duration * 0.3, 2),
                ts.AddMilliseconds(250));
        }

        return rides;
    }

    // SplitMix64 of (seed, first): a different stream per block, the same in every process (HashCode is randomized per process).
    private static int StreamSeed(int seed, long first)
    {
        var z = unchecked((ulong)first + (0x9E3779B97F4A7C15UL * (uint)seed));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(z ^ (z >> 31)));
    }
}
