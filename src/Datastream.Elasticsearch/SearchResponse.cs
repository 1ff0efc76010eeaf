using System.Text.Json;
using Datastream.Core.Rides;
using Datastream.Pipelines.Search;

namespace Datastream.Elasticsearch;

/// <summary>Reads the answers of _search and _count back into the index port's types.</summary>
internal static class SearchResponse
{
    public static RidePage Page(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        var hits = Property(document.RootElement, "hits");
        long total = hits.TryGetProperty("total", out var t)
            ? t.ValueKind == JsonValueKind.Number ? t.GetInt64() : Property(t, "value").GetInt64()
            : -1;
        var rides = Rides(hits);
        return new RidePage(total < 0 ? rides.Count : total, rides);
    }

    public static List<FlatRide> Rides(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        return Rides(Property(document.RootElement, "hits"));
    }

    public static long Count(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        return Property(document.RootElement, "count").GetInt64();
    }

    /// <summary>The minute histogram split by comfort, ordered by minute then comfort like the embedded rollups.</summary>
    public static List<MinuteComfortStats> MinuteStats(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        var stats = new List<MinuteComfortStats>();
        if (!document.RootElement.TryGetProperty("aggregations", out var aggregations))
        {
            return stats;
        }

        foreach (var minute in Property(Property(aggregations, RideQueries.MinutesAgg), "buckets").EnumerateArray())
        {
            var start = DateTime.UnixEpoch.AddMilliseconds(Property(minute, "key").GetInt64());
            foreach (var level in Property(Property(minute, RideQueries.ComfortAgg), "buckets").EnumerateArray())
            {
                string name = Property(level, "key").GetString() ?? "";
                if (!ComfortNames.TryParse(name, out var comfort))
                {
                    throw new FormatException($"comfort bucket '{name}' is not a comfort level");
                }

                stats.Add(new MinuteComfortStats(start, comfort, Property(level, "doc_count").GetInt64(),
                    Sum(level, RideQueries.DistanceAgg), Sum(level, RideQueries.PriceAgg)));
            }
        }

        stats.Sort((a, b) => a.MinuteUtc != b.MinuteUtc ? a.MinuteUtc.CompareTo(b.MinuteUtc) : a.Comfort.CompareTo(b.Comfort));
        return stats;
    }

    private static List<FlatRide> Rides(JsonElement hits)
    {
        var list = Property(hits, "hits");
        var rides = new List<FlatRide>(list.GetArrayLength());
        foreach (var hit in list.EnumerateArray())
        {
            rides.Add(ElasticsearchRideDocument.Read(Property(hit, "_source")));
        }

        return rides;
    }

    private static double Sum(JsonElement bucket, string name) =>
        Property(bucket, name).TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"Elasticsearch's answer has no '{name}' where expected");
}
