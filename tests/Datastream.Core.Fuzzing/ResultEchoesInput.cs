using System.Globalization;
using System.Text.Json;
using Datastream.Core.Rides;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// The results of an accepted record carry the record's own values, read here independently with JsonDocument:
/// ride_id, ts (to the millisecond the result keeps), positions, comfort and amounts of the standard format;
/// positions, comfort and price per km of each course element (driver = origin, client = destination).
/// Catches a fast path that copies or reads the wrong bytes.
/// </summary>
internal static class ResultEchoesInput
{
    public static void Verify(byte[] input, IReadOnlyList<byte[]> results)
    {
        using JsonDocument record = JsonDocument.Parse(input);
        JsonElement root = record.RootElement;
        if (root.TryGetProperty("ride_id", out _))
        {
            Single(results, out byte[] value);
            using JsonDocument result = JsonDocument.Parse(value);
            VerifyStandard(root, result.RootElement);
            return;
        }

        JsonElement[] elements = [.. root.GetProperty("data").EnumerateArray()];
        if (elements.Length != results.Count)
        {
            throw new PropertyViolation("course record gave another number of results than elements", $"{elements.Length} vs {results.Count}");
        }

        for (int i = 0; i < elements.Length; i++)
        {
            using JsonDocument result = JsonDocument.Parse(results[i]);
            VerifyCourse(elements[i], result.RootElement);
        }
    }

    private static void Single(IReadOnlyList<byte[]> results, out byte[] value)
    {
        if (results.Count != 1)
        {
            throw new PropertyViolation("standard record gave another number of results than one", results.Count.ToString(CultureInfo.InvariantCulture));
        }

        value = results[0];
    }

    private static void VerifyStandard(JsonElement input, JsonElement result)
    {
        Same("ride_id", input.GetProperty("ride_id").GetGuid(), result.GetProperty("ride_id").GetGuid());
        string tsText = input.GetProperty("ts").GetString()!;
        if (!DateTimeOffset.TryParse(tsText, CultureInfo.InvariantCulture, out DateTimeOffset tsOffset))
        {
            // ISO-8601 as .NET reads it: offsets within ±14:00, a decimal point followed by digits.
            throw new PropertyViolation("accepted a ts that DateTimeOffset.Parse refuses", tsText);
        }

        DateTime ts = tsOffset.UtcDateTime;
        var resultTs = DateTimeOffset.Parse(result.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture).UtcDateTime;
        if (Math.Abs((ts - resultTs).Ticks) >= TimeSpan.TicksPerMillisecond)
        {
            throw new PropertyViolation("result's ts is not the record's", $"{ts:O} vs {resultTs:O}");
        }

        SamePoint("origin", input.GetProperty("origin"), "lat", "lon", result.GetProperty("origin"));
        SamePoint("destination", input.GetProperty("destination"), "lat", "lon", result.GetProperty("destination"));
        SameComfort(input.GetProperty("comfort"), result);
        foreach (string amount in (string[])["duration_min", "price_base", "price_per_km", "price_per_min"])
        {
            Same(amount, input.GetProperty(amount).GetDouble(), result.GetProperty(amount).GetDouble());
        }
    }

    private static void VerifyCourse(JsonElement element, JsonElement result)
    {
        SamePoint("origin", element.GetProperty("properties-driver"), "latitude", "logitude", result.GetProperty("origin"));
        SamePoint("destination", element.GetProperty("properties-client"), "latitude", "logitude", result.GetProperty("destination"));
        SameComfort(element.GetProperty("confort"), result);
        Same("price_per_km", element.GetProperty("prix_base_per_km").GetDouble(), result.GetProperty("price_per_km").GetDouble());
        Same("ts", FuzzClock.Now, DateTimeOffset.Parse(result.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture).UtcDateTime);
    }

    private static void SamePoint(string name, JsonElement input, string lat, string lon, JsonElement result)
    {
        Same(name + ".lat", input.GetProperty(lat).GetDouble(), result.GetProperty("lat").GetDouble());
        Same(name + ".lon", input.GetProperty(lon).GetDouble(), result.GetProperty("lon").GetDouble());
    }

    private static void SameComfort(JsonElement input, JsonElement result)
    {
        if (!ComfortNames.TryParse(input.GetString()!, out Comfort comfort))
        {
            throw new PropertyViolation("accepted a comfort that is not a known name", input.GetRawText());
        }

        Same("comfort", comfort.WireName(), result.GetProperty("comfort").GetString());
    }

    private static void Same<T>(string field, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new PropertyViolation($"result's {field} is not the record's", $"{expected} vs {actual}");
        }
    }
}
