using Datastream.Core.Clustering;
using Datastream.Core.Rides;
using Datastream.Lake;

namespace Datastream.Warehouse.Tests;

/// <summary>Deterministic New York rides and models for warehouse tests, and a way to write them into a local lake.</summary>
internal static class NewYorkRides
{
    public static readonly DateTime Start = new(2025, 3, 1, 21, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Centres in degrees around Manhattan, Brooklyn, Queens, the Bronx, JFK and Newark. Spaced by multiples of 1/64°
    /// from (40.75, -74.0), so with <see cref="DyadicStandardization"/> every standardized coordinate is exact.
    /// </summary>
    public static readonly (double Lat, double Lon)[] Centres =
    [
        (40.75, -74.0),
        (40.75 - 0.125, -74.0 + 0.0625),
        (40.75 + 0.03125, -74.0 + 0.1875),
        (40.75 + 0.125, -74.0 + 0.125),
        (40.75 - 0.109375, -74.0 + 0.21875),
        (40.75 - 0.0625, -74.0 - 0.1875),
    ];

    /// <summary>Means and powers-of-two deviations: standardizing a point on the 1/64° grid loses nothing, so ties are exact.</summary>
    public static readonly Standardization DyadicStandardization = new(MeanLon: -74.0, StdLon: 0.125, MeanLat: 40.75, StdLat: 0.0625);

    public static KMeansModel Model(Standardization standardization) =>
        new(
            standardization,
            Centres.Select((c, i) => new Centroid(i + 1, c.Lat, c.Lon, 100)).ToArray(),
            new KMeansTraining(Centres.Length, 10, 1, 0.5, 0.8, 600, "test", Start));

    /// <summary>The z-score scaling of the rides' origins, as training on them would compute it.</summary>
    public static Standardization StandardizationOf(IReadOnlyCollection<FlatRide> rides)
    {
        var meanLon = rides.Average(r => r.OriginLon);
        var meanLat = rides.Average(r => r.OriginLat);
        var stdLon = Math.Sqrt(rides.Average(r => (r.OriginLon - meanLon) * (r.OriginLon - meanLon)));
        var stdLat = Math.Sqrt(rides.Average(r => (r.OriginLat - meanLat) * (r.OriginLat - meanLat)));
        return new Standardization(meanLon, stdLon, meanLat, stdLat);
    }

    /// <summary><paramref name="count"/> rides with origins scattered around the centres, over <paramref name="hours"/> hours from <see cref="Start"/>.</summary>
    public static FlatRide[] Generate(int count, int hours, int seed = 11)
    {
        var random = new Random(seed);
        var rides = new FlatRide[count];
        for (var i = 0; i < count; i++)
        {
            var (lat, lon) = Centres[random.Next(Centres.Length)];
            rides[i] = Ride(random, lat + Gaussian(random) * 0.05, lon + Gaussian(random) * 0.05, hours);
        }

        return rides;
    }

    /// <summary>A ride of random price and time whose origin is exactly (<paramref name="lat"/>, <paramref name="lon"/>).</summary>
    public static FlatRide Ride(Random random, double lat, double lon, int hours)
    {
        var idBytes = new byte[16];
        random.NextBytes(idBytes);
        // Microsecond precision: what Parquet timestamps keep.
        var ts = Start.AddTicks(random.NextInt64(hours * TimeSpan.TicksPerHour) / 10 * 10);
        var distance = Math.Round(random.NextDouble() * 30, 3);
        var duration = Math.Round(random.NextDouble() * 60, 2);
        var comfort = (Comfort)random.Next(3);
        var perKm = comfort switch { Comfort.Low => 1.0, Comfort.Medium => 1.4, _ => 2.1 };
        return new FlatRide(
            new Guid(idBytes), ts, comfort, lat, lon, lat + 0.01, lon - 0.01,
            duration, 2.5, perKm, 0.35, distance,
            Math.Round(2.5 + perKm * distance + 0.35 * duration, 2),
            ts.AddMilliseconds(random.Next(1, 5000)));
    }

    /// <summary>
    /// Writes <paramref name="rides"/> into a local lake under the default prefix, over three source partitions and
    /// several flushes, at source offsets from <paramref name="firstOffset"/> (file names derive from offsets, so a
    /// later batch needs later offsets or it replaces the earlier files), flushing every <paramref name="ridesPerFlush"/>
    /// rides (a file per partition).
    /// </summary>
    public static async Task WriteLakeAsync(string root, IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken, long firstOffset = 0, int ridesPerFlush = 1500)
    {
        await using var lake = new ParquetRideLake(new LocalDirectoryLakeStore(root), new LakeOptions { Compression = LakeCompression.Zstd });
        for (var i = 0; i < rides.Count; i++)
        {
            lake.Add(i % 3, firstOffset + i, rides[i]);
            if (i % ridesPerFlush == ridesPerFlush - 1)
            {
                await lake.FlushAsync(cancellationToken);
            }
        }

        await lake.FlushAsync(cancellationToken);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
