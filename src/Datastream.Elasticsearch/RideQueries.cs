using System.Buffers;
using System.Text.Json;
using Datastream.Core.Rides;
using Datastream.Pipelines.Search;

namespace Datastream.Elasticsearch;

/// <summary>
/// The query DSL bodies of the index port's reads, with the semantics of the embedded index: time is [from, to) on
/// ride ts, price bounds are inclusive, pages are newest ts first. Filters go in bool.filter (no scoring needed).
/// </summary>
internal static class RideQueries
{
    /// <summary>Aggregation names, shared with the reader of the response.</summary>
    public const string MinutesAgg = "minutes";
    public const string ComfortAgg = "comfort";
    public const string DistanceAgg = "distance_km";
    public const string PriceAgg = "price_total";

    public static byte[] Search(RideQuery query) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("from", query.Offset);
        writer.WriteNumber("size", query.Limit);
        // The total of all matches, not Elasticsearch's default lower bound of 10,000.
        writer.WriteBoolean("track_total_hits", true);
        WriteFilter(writer, query);
        // ride_id breaks ties so that rides with the same ts page deterministically, without gaps or overlap.
        WriteSort(writer, RideSchema.Names.Ts, RideSchema.Names.RideId);
        writer.WriteEndObject();
    });

    public static byte[] Latest(int count) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("size", count);
        writer.WriteBoolean("track_total_hits", false);
        WriteSort(writer, RideSchema.Names.AgentTimestamp, RideSchema.Names.RideId);
        writer.WriteEndObject();
    });

    /// <summary>
    /// Minutes whose start is in [from, to) are exactly the rides with ts in [ceil(from), ceil(to)) to the minute:
    /// one range filter, then a 1-minute histogram split by comfort with the two sums.
    /// </summary>
    public static byte[] MinuteStats(DateTime fromUtc, DateTime toUtc) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("size", 0);
        writer.WriteStartObject("query");
        writer.WriteStartObject("bool");
        writer.WriteStartArray("filter");
        WriteRange(writer, RideSchema.Names.Ts, CeilingMinute(fromUtc), CeilingMinute(toUtc));
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartObject("aggs");
        writer.WriteStartObject(MinutesAgg);
        writer.WriteStartObject("date_histogram");
        writer.WriteString("field", RideSchema.Names.Ts);
        writer.WriteString("fixed_interval", "1m");
        writer.WriteNumber("min_doc_count", 1);
        writer.WriteEndObject();
        writer.WriteStartObject("aggs");
        writer.WriteStartObject(ComfortAgg);
        writer.WriteStartObject("terms");
        writer.WriteString("field", RideSchema.Names.Comfort);
        writer.WriteNumber("size", Enum.GetValues<Comfort>().Length);
        writer.WriteEndObject();
        writer.WriteStartObject("aggs");
        WriteSum(writer, DistanceAgg, RideSchema.Names.DistanceKm);
        WriteSum(writer, PriceAgg, RideSchema.Names.PriceTotal);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>The first minute boundary at or after the instant (DateTime.MaxValue stays the open end).</summary>
    public static DateTime CeilingMinute(DateTime value)
    {
        var utc = UtcTimestamp.ToUtc(value);
        long remainder = utc.Ticks % TimeSpan.TicksPerMinute;
        if (remainder == 0)
        {
            return utc;
        }

        long ceiling = utc.Ticks - remainder + TimeSpan.TicksPerMinute;
        return ceiling > DateTime.MaxValue.Ticks ? DateTime.MaxValue : new DateTime(ceiling, DateTimeKind.Utc);
    }

    private static void WriteFilter(Utf8JsonWriter writer, RideQuery query)
    {
        writer.WriteStartObject("query");
        writer.WriteStartObject("bool");
        writer.WriteStartArray("filter");
        if (query.RideId is { } id)
        {
            WriteTerm(writer, RideSchema.Names.RideId, id.ToString("D"));
        }

        if (query.FromUtc is not null || query.ToUtc is not null)
        {
            WriteRange(writer, RideSchema.Names.Ts, query.FromUtc, query.ToUtc);
        }

        if (query.Comfort is { } comfort)
        {
            WriteTerm(writer, RideSchema.Names.Comfort, comfort.WireName());
        }

        if (query.MinPrice is not null || query.MaxPrice is not null)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("range");
            writer.WriteStartObject(RideSchema.Names.PriceTotal);
            if (query.MinPrice is { } min)
            {
                writer.WriteNumber("gte", min);
            }

            if (query.MaxPrice is { } max)
            {
                writer.WriteNumber("lte", max);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTerm(Utf8JsonWriter writer, string field, string value)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("term");
        writer.WriteString(field, value);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>[from, to) on a date field, bounds as ISO-8601 UTC with milliseconds (what the documents hold).</summary>
    private static void WriteRange(Utf8JsonWriter writer, string field, DateTime? fromUtc, DateTime? toUtc)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("range");
        writer.WriteStartObject(field);
        if (fromUtc is { } from)
        {
            writer.WriteString("gte", UtcTimestamp.Format(from));
        }

        if (toUtc is { } to)
        {
            writer.WriteString("lt", UtcTimestamp.Format(to));
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteSort(Utf8JsonWriter writer, string field, string tieBreaker)
    {
        writer.WriteStartArray("sort");
        foreach (string name in new[] { field, tieBreaker })
        {
            writer.WriteStartObject();
            writer.WriteStartObject(name);
            writer.WriteString("order", "desc");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteSum(Utf8JsonWriter writer, string name, string field)
    {
        writer.WriteStartObject(name);
        writer.WriteStartObject("sum");
        writer.WriteString("field", field);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
