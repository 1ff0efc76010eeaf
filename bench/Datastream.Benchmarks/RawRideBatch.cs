using System.Globalization;
using System.Text;

namespace Datastream.Benchmarks;

/// <summary>
/// A reproducible batch of rides_raw records as a producer would send them: New York trips, mixed comfort
/// spellings, timestamps with and without a UTC offset of their own, and about 1% rejects of varied kinds.
/// </summary>
public static class RawRideBatch
{
    private static readonly string[] ComfortSpellings = ["low", "medium", "high", "eco", "Economy", "standard", "comfort", "business", "Premium", "HIGH", "hight"];

    public static byte[][] Generate(int count, int seed, double invalidShare = 0.01)
    {
        var random = new Random(seed);
        var records = new byte[count][];
        var start = new DateTimeOffset(2025, 10, 30, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < count; i++)
        {
            string json = Valid(random, start.AddMilliseconds(i * 37.0));
            if (random.NextDouble() < invalidShare)
            {
                json = Corrupt(random, json);
            }

            records[i] = Encoding.UTF8.GetBytes(json);
        }

        return records;
    }

    private static string Valid(Random random, DateTimeOffset ts)
    {
        var id = new Guid(random.GetItems<byte>([.. Enumerable.Range(0, 256).Select(b => (byte)b)], 16));
        string comfort = ComfortSpellings[random.Next(ComfortSpellings.Length)];
        string when = random.Next(4) == 0
            ? ts.ToOffset(TimeSpan.FromHours(-4)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)
            : ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"ride_id\":\"{id}\",\"ts\":\"{when}\"," +
            $"\"origin\":{{\"lat\":{Lat(random)},\"lon\":{Lon(random)}}}," +
            $"\"destination\":{{\"lat\":{Lat(random)},\"lon\":{Lon(random)}}}," +
            $"\"comfort\":\"{comfort}\",\"duration_min\":{Math.Round(3 + random.NextDouble() * 57, 1)}," +
            $"\"price_base\":2.0,\"price_per_km\":1.1,\"price_per_min\":0.3,\"source\":\"app-ios\",\"passenger_count\":{1 + random.Next(4)}}}");
    }

    // New York City bounding box, 6 decimals like a phone's GPS.
    private static double Lat(Random random) => Math.Round(40.55 + random.NextDouble() * 0.35, 6);

    private static double Lon(Random random) => Math.Round(-74.1 + random.NextDouble() * 0.4, 6);

    private static string Corrupt(Random random, string json) => random.Next(4) switch
    {
        0 => json.Replace("\"lat\":40", "\"lat\":140", StringComparison.Ordinal),
        1 => json.Replace("\"comfort\"", "\"confort\"", StringComparison.Ordinal),
        2 => json[..^5],
        _ => json.Replace("Z\"", "\"", StringComparison.Ordinal).Replace("-04:00\"", "\"", StringComparison.Ordinal),
    };
}
