using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Generation;
using Datastream.Core.Pricing;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>The producer's rides must be accepted, and its invalid records rejected with the kind they were made for.</summary>
public sealed class RideGeneratorTests
{
    [Fact]
    public void ValidRides_AreAccepted_AndLookLikeNewYork()
    {
        var random = new Random(1);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions());
        var computeCostTravel = new ComputeCostTravel(new ComputeCostOptions());
        var results = new RideResultBuffer();
        for (int i = 0; i < 2000; i++)
        {
            var record = generator.Next(DateTime.UtcNow, out var kind);
            Assert.Null(kind);
            Assert.True(computeCostTravel.TryTransform(record.Span, DateTime.UtcNow, results, out var rejection), rejection.ToString());
        }

        Assert.Equal(2000, results.Count);
        for (int i = 0; i < results.Count; i++)
        {
            using var doc = JsonDocument.Parse(results.Value(i).ToArray());
            Assert.InRange(doc.RootElement.GetProperty("origin").GetProperty("lat").GetDouble(), 40.4, 41.0);
            Assert.InRange(doc.RootElement.GetProperty("distance_km").GetDouble(), 0.3, 30);
        }
    }

    /// <summary>
    /// The generator writes its numbers through PlainDecimal's shortcut: the bytes must be what Utf8JsonWriter writes for
    /// the same values (each ride parsed and written again with the framework's WriteNumber), including other tariffs.
    /// </summary>
    [Fact]
    public void ValidRides_AreWrittenAsUtf8JsonWriterWritesThem()
    {
        var random = new Random(4);
        // Beside plain tariffs, ones PlainDecimal leaves to the framework: 17 digits, exponent notation.
        var tariffs = new TariffTable(new Tariff(2.5, 1.05, 0.3), new Tariff(3, 1.2345678901, 0.0001), new Tariff(1e-5, 123456789012345678, 0.1 + 0.2));
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { Tariffs = tariffs });
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        for (int i = 0; i < 5000; i++)
        {
            var record = generator.Next(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), out _).ToArray();
            using var doc = JsonDocument.Parse(record);
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Rewrite(writer, doc.RootElement);
            }

            Assert.Equal(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), System.Text.Encoding.UTF8.GetString(record));
        }

        static void Rewrite(Utf8JsonWriter writer, JsonElement element)
        {
            writer.WriteStartObject();
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        writer.WritePropertyName(property.Name);
                        Rewrite(writer, property.Value);
                        break;
                    case JsonValueKind.Number:
                        writer.WriteNumber(property.Name, property.Value.GetDouble());
                        break;
                    default:
                        writer.WriteString(property.Name, property.Value.GetString());
                        break;
                }
            }

            writer.WriteEndObject();
        }
    }

    [Fact]
    public void InvalidRecords_AreRejectedWithTheKindTheyWereMadeFor()
    {
        var random = new Random(2);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { InvalidRatio = 0.5, MaxMessageBytes = 2048 });
        var computeCostTravel = new ComputeCostTravel(new ComputeCostOptions { MaxMessageBytes = 2048 });
        var results = new RideResultBuffer();
        var seen = new HashSet<RejectionKind>();
        for (int i = 0; i < 2000; i++)
        {
            var record = generator.Next(DateTime.UtcNow, out var kind);
            bool accepted = computeCostTravel.TryTransform(record.Span, DateTime.UtcNow, results, out var rejection);
            Assert.Equal(kind is null, accepted);
            if (kind is { } expected)
            {
                Assert.Equal(expected, rejection.Kind);
                seen.Add(expected);
            }
        }

        Assert.Equal([RejectionKind.InvalidJson, RejectionKind.Encoding, RejectionKind.TooLarge, RejectionKind.Schema], seen.Order());
    }

    [Fact]
    public void SameSeed_SameStream()
    {
        static List<string> Take(int seed)
        {
            var random = new Random(seed);
            var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { InvalidRatio = 0.1 });
            var ts = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            return Enumerable.Range(0, 100).Select(_ => Convert.ToBase64String(generator.Next(ts, out RejectionKind? _).Span)).ToList();
        }

        Assert.Equal(Take(7), Take(7));
        Assert.NotEqual(Take(7), Take(8));
    }

    [Fact]
    public void ReferencePickups_StayNearTheirPoints()
    {
        var random = new Random(3);
        var pickups = new ReferencePickups([new GeoPoint(48.8566, 2.3522)], random);
        for (int i = 0; i < 100; i++)
        {
            var p = pickups.Next();
            Assert.InRange(p.Lat, 48.8560, 48.8572);
            Assert.InRange(p.Lon, 2.3516, 2.3528);
        }
    }
}
