using System.Text.Json;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// A ride a record must produce in rides_result, with its inputs, so that distance and price are checked by
/// <see cref="IndependentPricing"/>. Standard rides are found by ride_id; course-format rides (whose id is derived
/// by the pipeline) by their client's name, and their ts is the record's log timestamp (<see cref="TsUtc"/> null).
/// </summary>
public sealed record ExpectedRide(Guid? RideId, string? ClientName, double OriginLat, double OriginLon, double DestinationLat, double DestinationLon,
    string Comfort, double DurationMin, double PriceBase, double PricePerKm, double PricePerMin, DateTime? TsUtc)
{
    /// <summary>The ride a rides_result document describes, as compute-cost wrote it (for index-and-export, which must index it).</summary>
    public static ExpectedRide OfResult(JsonElement result)
    {
        static double Number(JsonElement element, string name) => element.GetProperty(name).GetDouble();
        var origin = result.GetProperty("origin");
        var destination = result.GetProperty("destination");
        return new ExpectedRide(Guid.Parse(result.GetProperty("ride_id").GetString()!), null,
            Number(origin, "lat"), Number(origin, "lon"), Number(destination, "lat"), Number(destination, "lon"),
            result.GetProperty("comfort").GetString()!, Number(result, "duration_min"), Number(result, "price_base"),
            Number(result, "price_per_km"), Number(result, "price_per_min"), result.GetProperty("ts").GetDateTime().ToUniversalTime());
    }

    public double DistanceKm => IndependentPricing.DistanceKm(OriginLat, OriginLon, DestinationLat, DestinationLon);

    public double PriceTotal => IndependentPricing.Price(DistanceKm, DurationMin, PriceBase, PricePerKm, PricePerMin);

    /// <summary>The key a rides_result document is matched by: its ride_id, or its client's name for the course format.</summary>
    public string Key => RideId is { } id ? KeyOfId(id) : KeyOfClient(ClientName!);

    public static string KeyOfId(Guid id) => $"ride {id:D}";

    public static string KeyOfClient(string name) => $"client {name}";

    /// <summary>The key of a rides_result document, by the same rule as <see cref="Key"/>.</summary>
    public static string KeyOf(JsonElement result) =>
        result.TryGetProperty("client", out var client) && client.ValueKind == JsonValueKind.Object && client.TryGetProperty("name", out var name)
            ? KeyOfClient(name.GetString() ?? "")
            : Guid.TryParse(result.GetProperty("ride_id").GetString(), out var id) ? KeyOfId(id) : $"unreadable ride_id {result.GetProperty("ride_id")}";

    /// <summary>What differs between this ride and a rides_result document; empty when it is priced exactly as expected.</summary>
    public IEnumerable<string> Differences(JsonElement result, DateTime logTimestampUtc)
    {
        if (!result.TryGetProperty("distance_km", out var distance) || distance.GetDouble() != DistanceKm)
        {
            yield return $"distance_km {Show(result, "distance_km")}, expected {DistanceKm}";
        }

        if (!result.TryGetProperty("price_total", out var total) || total.GetDouble() != PriceTotal)
        {
            yield return $"price_total {Show(result, "price_total")}, expected {PriceTotal}";
        }

        if (!result.TryGetProperty("comfort", out var comfort) || comfort.GetString() != Comfort)
        {
            yield return $"comfort {Show(result, "comfort")}, expected {Comfort}";
        }

        string? ts = result.TryGetProperty("ts", out var tsElement) ? tsElement.GetString() : null;
        DateTime expectedTs = TsUtc ?? logTimestampUtc;
        if (ts is null || !ts.EndsWith('Z') || !DateTime.TryParse(ts, null, System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed)
            || Math.Abs((parsed - expectedTs).TotalMilliseconds) >= 1)
        {
            yield return $"ts {ts ?? "missing"}, expected {expectedTs:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}";
        }
    }

    private static string Show(JsonElement result, string name) => result.TryGetProperty(name, out var value) ? value.GetRawText() : "missing";
}
