using System.Globalization;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// Puts every hostile record between two valid rides (random New York rides, every comfort spelling, some ts in
/// +02:00), so that a record that poisons its batch or its neighbours shows as a missing or wrong neighbour.
/// </summary>
public static class ValidNeighbours
{
    private static readonly (string Spelling, string Canonical)[] Comforts =
    [
        ("low", "low"), ("ECO", "low"), ("standard", "low"), ("medium", "medium"), ("Comfort", "medium"),
        ("high", "high"), ("business", "high"), ("hight", "high"),
    ];

    /// <summary>
    /// neighbour, record, neighbour, record, ..., neighbour. With <paramref name="asResults"/> the neighbours are
    /// rides_result documents (for index-and-export), else rides_raw records.
    /// </summary>
    public static IReadOnlyList<HostileRecord> Around(IReadOnlyList<HostileRecord> corpus, bool asResults, int seed)
    {
        var random = new Random(seed);
        var sequence = new List<HostileRecord>(corpus.Count * 2 + 1) { Neighbour(random, 0, asResults) };
        for (int i = 0; i < corpus.Count; i++)
        {
            sequence.Add(corpus[i]);
            sequence.Add(Neighbour(random, i + 1, asResults));
        }

        return sequence;
    }

    private static HostileRecord Neighbour(Random random, int index, bool asResults)
    {
        var inv = CultureInfo.InvariantCulture;
        var (spelling, canonical) = Comforts[index % Comforts.Length];
        var ts = new DateTime(2025, 11, 2, 8, 0, 0, 250, DateTimeKind.Utc).AddSeconds(index * 13);
        string tsText = index % 3 == 0
            ? ts.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+02:00'", inv)
            : ts.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", inv);
        var ride = new RideText
        {
            Id = new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]),
            Ts = $"\"{tsText}\"",
            OriginLat = Coordinate(random, 40.5, inv),
            OriginLon = Coordinate(random, -74.1, inv),
            DestinationLat = Coordinate(random, 40.5, inv),
            DestinationLon = Coordinate(random, -74.1, inv),
            Comfort = $"\"{spelling}\"",
            DurationMin = Math.Round(random.NextDouble() * 60, 1).ToString(inv),
            PriceBase = Math.Round(random.NextDouble() * 5, 2).ToString(inv),
            PricePerKm = Math.Round(random.NextDouble() * 2, 3).ToString(inv),
            PricePerMin = Math.Round(random.NextDouble(), 3).ToString(inv),
        };
        if (asResults)
        {
            ride = ride.AsResult(canonical) with { Ts = JsonFragments.Timestamp(ts) };
        }

        return new HostileRecord($"valid neighbour #{index}", ride.Bytes, HostileOutcome.Accepted(ride.Expected(canonical, ts)));
    }

    private static string Coordinate(Random random, double from, IFormatProvider inv) => Math.Round(from + random.NextDouble() * 0.4, 6).ToString(inv);
}
