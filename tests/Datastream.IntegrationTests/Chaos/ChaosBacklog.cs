using System.Globalization;
using System.Text;
using Datastream.IntegrationTests.Hostile;

namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// The chaos run's input, generated from its seed: JSONL rides of which every 50th line (2 %) is invalid in one of
/// several ways (broken JSON, bad UTF-8, schema violations, too large), and the bad records injected into rides_result
/// behind compute-cost's back. Every line is distinct, so a record read back from a topic names the line it came from.
/// </summary>
public sealed class ChaosBacklog
{
    private static readonly DateTime FirstTs = new(2025, 10, 30, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Comforts = ["low", "medium", "high", "eco", "comfort", "premium"];

    private readonly List<byte[]> _lines = [];
    private readonly HashSet<Guid> _validRideIds = [];
    private readonly Dictionary<string, string> _invalidKinds = [];
    private readonly List<byte[]> _badResults = [];
    private readonly Dictionary<string, string> _badResultKinds = [];

    public IReadOnlyList<byte[]> Lines => _lines;

    public IReadOnlySet<Guid> ValidRideIds => _validRideIds;

    /// <summary>The error.kind compute-cost must give each invalid line, by <see cref="KeyOf"/> of its bytes.</summary>
    public IReadOnlyDictionary<string, string> InvalidKinds => _invalidKinds;

    public IReadOnlyList<byte[]> BadResults => _badResults;

    /// <summary>The error.kind index-and-export must give each injected bad result, by <see cref="KeyOf"/> of its bytes.</summary>
    public IReadOnlyDictionary<string, string> BadResultKinds => _badResultKinds;

    public static string KeyOf(ReadOnlySpan<byte> value) => Convert.ToBase64String(value);

    public static ChaosBacklog Create(int lines, int seed)
    {
        var random = new Random(seed);
        var backlog = new ChaosBacklog();
        for (int i = 0; i < lines; i++)
        {
            if (i % ChaosSettings.InvalidEvery == ChaosSettings.InvalidEvery / 2)
            {
                backlog.AddInvalid(random, i / ChaosSettings.InvalidEvery);
            }
            else
            {
                var id = NewGuid(random);
                backlog._validRideIds.Add(id);
                backlog._lines.Add(Encoding.UTF8.GetBytes(Ride(random, id, FirstTs.AddSeconds(i), Comforts[i % Comforts.Length])));
            }
        }

        for (int n = 0; n < lines / ChaosSettings.BadResultEvery; n++)
        {
            backlog.AddBadResult(random, n);
        }

        return backlog;
    }

    /// <summary>Lines [<paramref name="from"/>..] as a JSONL file: what a restarted producer still has to send.</summary>
    public void WriteLines(string path, int from) => Write(path, _lines.Skip(from));

    /// <summary>Bad results [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) as a JSONL file.</summary>
    public void WriteBadResults(string path, int from, int count) => Write(path, _badResults.Skip(from).Take(count));

    private static void Write(string path, IEnumerable<byte[]> lines)
    {
        using var file = File.Create(path);
        foreach (byte[] line in lines)
        {
            file.Write(line);
            file.WriteByte((byte)'\n');
        }
    }

    private void AddInvalid(Random random, int n)
    {
        string good = Fields(random, NewGuid(random), FirstTs.AddMinutes(n));
        var (kind, bytes) = (n % 8) switch
        {
            0 => (DeadLetterKinds.InvalidJson, Utf8($"{{\"ride_id\":\"chaos-{n}\",\"ts\":")),
            1 => (DeadLetterKinds.InvalidJson, Utf8($"chaos line {n} is not json")),
            2 => (DeadLetterKinds.Encoding, [.. Utf8($"{{{good},\"comfort\":\"lo"), 0xC3, 0x28, .. Utf8($"w\",\"n\":{n}}}")]),
            3 => (DeadLetterKinds.Schema, Utf8($"{{{good},\"comfort\":\"luxury\"}}")),
            4 => (DeadLetterKinds.Schema, Utf8($"{{{good.Replace("\"origin\":{\"lat\":", "\"origin\":{\"lat\":95.1,\"x\":", StringComparison.Ordinal)},\"comfort\":\"low\"}}")),
            5 => (DeadLetterKinds.Schema, Utf8($"{{{good.Replace("\"duration_min\":", "\"duration_min\":\"12\",\"x\":", StringComparison.Ordinal)},\"comfort\":\"low\"}}")),
            6 => (DeadLetterKinds.Schema, Utf8($"[{n},\"chaos\"]")),
            _ => (DeadLetterKinds.TooLarge, Utf8($"{{{good},\"comfort\":\"low\",\"notes\":\"{new string('x', 66_000)}\"}}")),
        };
        _invalidKinds.Add(KeyOf(bytes), kind);
        _lines.Add(bytes);
    }

    /// <summary>Records no compute-cost would write: TransformJSON must refuse each, once.</summary>
    private void AddBadResult(Random random, int n)
    {
        var (kind, bytes) = (n % 4) switch
        {
            0 => (DeadLetterKinds.InvalidJson, Utf8($"{{\"ride_id\":\"bad-result-{n}\",")),
            1 => (DeadLetterKinds.Encoding, [.. Utf8($"{{\"ride_id\":\"bad-result-{n}\",\"comfort\":\""), 0xFF, .. Utf8("\"}")]),
            // A raw ride where a priced one belongs: the result's fields are missing.
            2 => (DeadLetterKinds.Schema, Utf8(Ride(random, NewGuid(random), FirstTs.AddMinutes(n), "low"))),
            _ => (DeadLetterKinds.Schema, Utf8($"{{\"ride_id\":\"bad-result-{n}\",\"price_total\":-1}}")),
        };
        _badResultKinds.Add(KeyOf(bytes), kind);
        _badResults.Add(bytes);
    }

    private static string Ride(Random random, Guid id, DateTime ts, string comfort) => $"{{{Fields(random, id, ts)},\"comfort\":\"{comfort}\"}}";

    private static string Fields(Random random, Guid id, DateTime ts) => string.Create(CultureInfo.InvariantCulture,
        $"\"ride_id\":\"{id}\",\"ts\":\"{ts:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"origin\":{{\"lat\":{Coordinate(random, 40.5)},\"lon\":{Coordinate(random, -74.1)}}},\"destination\":{{\"lat\":{Coordinate(random, 40.5)},\"lon\":{Coordinate(random, -74.1)}}},\"duration_min\":{Math.Round(1 + random.NextDouble() * 59, 1)},\"price_base\":{Math.Round(random.NextDouble() * 5, 2)},\"price_per_km\":{Math.Round(random.NextDouble() * 2, 3)},\"price_per_min\":{Math.Round(random.NextDouble(), 3)}");

    private static double Coordinate(Random random, double from) => Math.Round(from + random.NextDouble() * 0.4, 6);

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        // Version 4, RFC 4122 variant: a ride_id as a producer would make it.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
