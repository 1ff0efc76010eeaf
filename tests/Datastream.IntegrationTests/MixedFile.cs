using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Datastream.IntegrationTests;

/// <summary>A JSONL file of valid rides (every comfort spelling, UTC offsets) and invalid lines of every DLQ kind, with what each must become.</summary>
public sealed class MixedFile
{
    public sealed record ValidRide(string RideId, double OLat, double OLon, double DLat, double DLon, string Comfort, double Duration, double Base, double PerKm, double PerMin, DateTime TsUtc);

    public List<byte[]> Lines { get; } = [];
    public Dictionary<string, ValidRide> Valid { get; } = [];
    public Dictionary<int, string> InvalidKindByLine { get; } = [];

    private static readonly (string Spelling, string Canonical)[] Comforts =
    [
        ("low", "low"), ("LOW", "low"), ("eco", "low"), ("economy", "low"), ("Standard", "low"),
        ("medium", "medium"), ("comfort", "medium"), ("COMFORT", "medium"),
        ("high", "high"), ("business", "high"), ("premium", "high"), ("hight", "high"), ("Premium", "high"),
    ];

    public static MixedFile Create(int validCount, int seed)
    {
        var random = new Random(seed);
        var file = new MixedFile();
        var inv = CultureInfo.InvariantCulture;
        for (int i = 0; i < validCount; i++)
        {
            var (spelling, canonical) = Comforts[i % Comforts.Length];
            string id = Guid.NewGuid().ToString();
            double oLat = Math.Round(40.5 + random.NextDouble() * 0.4, 6), oLon = Math.Round(-74.1 + random.NextDouble() * 0.4, 6);
            double dLat = Math.Round(40.5 + random.NextDouble() * 0.4, 6), dLon = Math.Round(-74.1 + random.NextDouble() * 0.4, 6);
            double duration = Math.Round(random.NextDouble() * 60, 1);
            double priceBase = Math.Round(random.NextDouble() * 5, 2), perKm = Math.Round(random.NextDouble() * 2, 3), perMin = Math.Round(random.NextDouble(), 3);
            var ts = new DateTime(2025, 10, 30, 16, 9, 47, 123, DateTimeKind.Utc).AddSeconds(i * 7);
            // A third of the timestamps carry +02:00 and must come out normalized to UTC.
            string tsText = i % 3 == 0 ? ts.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+02:00'", inv) : ts.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", inv);
            string json = string.Create(inv,
                $"{{\"ride_id\":\"{id}\",\"ts\":\"{tsText}\",\"origin\":{{\"lat\":{oLat},\"lon\":{oLon}}},\"destination\":{{\"lat\":{dLat},\"lon\":{dLon}}},\"comfort\":\"{spelling}\",\"duration_min\":{duration},\"price_base\":{priceBase},\"price_per_km\":{perKm},\"price_per_min\":{perMin},\"extra\":{{\"ignored\":[1,2]}}}}");
            file.Lines.Add(Encoding.UTF8.GetBytes(json));
            file.Valid[id] = new ValidRide(id, oLat, oLon, dLat, dLon, canonical, duration, priceBase, perKm, perMin, ts);
            if (i % 10 == 5)
            {
                file.AddInvalids(i);
            }
        }

        return file;
    }

    private void AddInvalids(int i)
    {
        string good = $"\"ride_id\":\"{Guid.NewGuid()}\",\"ts\":\"2025-10-30T16:09:47Z\",\"origin\":{{\"lat\":40.7,\"lon\":-73.9}},\"destination\":{{\"lat\":40.6,\"lon\":-73.7}},\"duration_min\":10,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3";
        var cases = new (string Kind, byte[] Bytes)[]
        {
            ("invalid_json", Encoding.UTF8.GetBytes("{\"ride_id\":\"abc\",")),
            ("invalid_json", Encoding.UTF8.GetBytes("not json at all")),
            ("schema", Encoding.UTF8.GetBytes($"{{{good},\"comfort\":\"luxury\"}}")),
            ("schema", Encoding.UTF8.GetBytes($"{{{good.Replace("\"lat\":40.7", "\"lat\":95.1", StringComparison.Ordinal)},\"comfort\":\"low\"}}")),
            ("schema", Encoding.UTF8.GetBytes($"{{{good.Replace("T16:09:47Z", "T16:09:47", StringComparison.Ordinal)},\"comfort\":\"low\"}}")),
            ("schema", Encoding.UTF8.GetBytes($"{{{good},\"comfort\":\"low\",\"comfort\":\"high\"}}")),
            ("schema", Encoding.UTF8.GetBytes($"{{{good.Replace("\"duration_min\":10", "\"duration_min\":\"10\"", StringComparison.Ordinal)},\"comfort\":\"low\"}}")),
            ("schema", Encoding.UTF8.GetBytes("[1,2,3]")),
            ("encoding", [.. Encoding.UTF8.GetBytes($"{{{good},\"comfort\":\"lo"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("w\"}")]),
            ("too_large", Encoding.UTF8.GetBytes($"{{{good},\"comfort\":\"low\",\"notes\":\"{new string('x', 70_000)}\"}}")),
        };
        var (kind, bytes) = cases[(i / 10) % cases.Length];
        InvalidKindByLine[Lines.Count] = kind;
        Lines.Add(bytes);
    }

    /// <summary>
    /// The independent checker: exactly one correct result per valid line (distance, price, comfort, UTC ts) and one
    /// envelope of the expected kind, carrying the original bytes, per invalid line.
    /// </summary>
    public void AssertOutputs(string results, string dlq)
    {
        var resultLines = results.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Valid.Count, resultLines.Length);
        var seen = new HashSet<string>();
        foreach (string line in resultLines)
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string id = r.GetProperty("ride_id").GetString()!;
            Assert.True(seen.Add(id), $"ride {id} appears twice in rides_result");
            var expected = Valid[id];
            double distance = IndependentPricing.DistanceKm(expected.OLat, expected.OLon, expected.DLat, expected.DLon);
            Assert.Equal(distance, r.GetProperty("distance_km").GetDouble());
            Assert.Equal(IndependentPricing.Price(distance, expected.Duration, expected.Base, expected.PerKm, expected.PerMin), r.GetProperty("price_total").GetDouble());
            Assert.Equal(expected.Comfort, r.GetProperty("comfort").GetString());
            Assert.Equal(expected.TsUtc, r.GetProperty("ts").GetDateTime().ToUniversalTime());
            Assert.EndsWith("Z", r.GetProperty("ts").GetString());
            Assert.False(r.TryGetProperty("extra", out _), "unknown input fields must not be carried");
        }

        var dlqLines = dlq.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(InvalidKindByLine.Count, dlqLines.Length);
        // Matched by payload, not offset: with several partitions a line's offset is not its line number.
        var expectedKinds = InvalidKindByLine.GroupBy(l => Convert.ToBase64String(Lines[l.Key])).ToDictionary(g => g.Key, g => g.Select(l => l.Value).ToList());
        var sources = new HashSet<(int, long)>();
        foreach (string line in dlqLines)
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            Assert.Equal("compute-cost", e.GetProperty("pipeline").GetString());
            var source = e.GetProperty("source");
            Assert.True(sources.Add((source.GetProperty("partition").GetInt32(), source.GetProperty("offset").GetInt64())), $"two envelopes for one raw record: {line[..Math.Min(300, line.Length)]}");
            byte[] payload = e.TryGetProperty("payload", out var text)
                ? Encoding.UTF8.GetBytes(text.GetString()!)
                : Convert.FromBase64String(e.GetProperty("payload_base64").GetString()!);
            Assert.True(expectedKinds.TryGetValue(Convert.ToBase64String(payload), out var kinds) && kinds.Count > 0,
                $"a valid line (or one too many) went to the DLQ: {line[..Math.Min(300, line.Length)]}");
            string kind = e.GetProperty("error").GetProperty("kind").GetString()!;
            Assert.True(kinds.Remove(kind), $"expected kind {string.Join('/', kinds)}, got {kind}: {line[..Math.Min(300, line.Length)]}");
            Assert.StartsWith("$", e.GetProperty("error").GetProperty("path").GetString());
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("error").GetProperty("message").GetString()));
        }
    }

    public void WriteTo(string path)
    {
        using var stream = File.Create(path);
        foreach (var line in Lines)
        {
            stream.Write(line);
            stream.WriteByte((byte)'\n');
        }
    }
}
