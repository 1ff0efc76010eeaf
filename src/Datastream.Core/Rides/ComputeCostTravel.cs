using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Datastream.Core.Dlq;
using Datastream.Core.Pricing;

namespace Datastream.Core.Rides;

/// <summary>
/// The ComputeCostTravel task of DAG#1: validates one rides_raw record (SPEC §3.1, or the course format of §3.2),
/// computes distance and price (§3.3) and appends the rides_result documents (§3.4).
/// Not thread-safe: one instance per pipeline thread.
/// </summary>
public sealed class ComputeCostTravel(ComputeCostOptions options)
{
    // Relaxed escaping keeps client and driver names readable; results are never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly RideRecordParser _parser = new();
    private CourseRecordParser? _courseParser;
    private Utf8JsonWriter? _writer;

    public ComputeCostTravel()
        : this(new ComputeCostOptions())
    {
    }

    public ComputeCostOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>
    /// Prices one record. On success appends one result (standard format) or one per element of "data" (course
    /// format) to <paramref name="results"/> and returns true. On failure appends nothing, returns false and
    /// says why in <paramref name="rejection"/>. <paramref name="logTimestampUtc"/> is the record's log timestamp,
    /// which the course format uses as the ride's ts.
    /// </summary>
    public bool TryTransform(ReadOnlySpan<byte> payload, DateTime logTimestampUtc, RideResultBuffer results, out Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (payload.Length > Options.MaxMessageBytes)
        {
            rejection = new Rejection(RejectionKind.TooLarge, "$", $"{payload.Length} bytes exceeds the limit of {Options.MaxMessageBytes}");
            return false;
        }

        if (!Utf8.IsValid(payload))
        {
            rejection = new Rejection(RejectionKind.Encoding, "$", "payload is not valid UTF-8");
            return false;
        }

        switch (_parser.Parse(payload, out RideFields ride, out rejection))
        {
            case RideRecordParser.Outcome.Ride:
                Append(results, in ride, null, null);
                return true;
            case RideRecordParser.Outcome.Course:
                return TryTransformCourse(payload, logTimestampUtc, results, out rejection);
            default:
                return false;
        }
    }

    private bool TryTransformCourse(ReadOnlySpan<byte> payload, DateTime logTimestampUtc, RideResultBuffer results, out Rejection rejection)
    {
        _courseParser ??= new CourseRecordParser();
        if (!_courseParser.TryParse(payload, UtcTimestamp.ToUtc(logTimestampUtc), out rejection))
        {
            return false;
        }

        // Elements are validated before anything is written, but writing can still fail (out of memory):
        // roll back so that a record is all in or all out.
        RideResultBuffer.Mark mark = results.Save();
        try
        {
            foreach (CourseRide course in _courseParser.Rides)
            {
                Append(results, in course.Ride, course.Client, course.Driver);
            }
        }
        catch
        {
            results.RollBack(mark);
            throw;
        }

        return true;
    }

    private void Append(RideResultBuffer results, in RideFields ride, CourseParty? client, CourseParty? driver)
    {
        double distanceKm = TravelCost.RoundDistanceKm(Haversine.DistanceKm(ride.Origin, ride.Destination));
        double priceTotal = TravelCost.PriceTotal(distanceKm, ride.DurationMin, ride.PriceBase, ride.PricePerKm, ride.PricePerMin);

        int start = results.ByteCount;
        Utf8JsonWriter writer = _writer ??= new Utf8JsonWriter(results.Output, WriterOptions);
        writer.Reset(results.Output);

        Span<byte> ts = stackalloc byte[UtcTimestamp.Length];
        UtcTimestamp.Format(ride.TsUtc, ts);

        writer.WriteStartObject();
        writer.WriteString("ride_id"u8, ride.RideId);
        writer.WriteString("ts"u8, ts);
        WritePoint(writer, "origin"u8, ride.Origin);
        WritePoint(writer, "destination"u8, ride.Destination);
        writer.WriteString("comfort"u8, ComfortNames.WireNameUtf8(ride.Comfort));
        writer.WriteNumber("duration_min"u8, ride.DurationMin);
        writer.WriteNumber("price_base"u8, ride.PriceBase);
        writer.WriteNumber("price_per_km"u8, ride.PricePerKm);
        writer.WriteNumber("price_per_min"u8, ride.PricePerMin);
        writer.WriteNumber("distance_km"u8, distanceKm);
        writer.WriteNumber("price_total"u8, priceTotal);
        if (client is { } c)
        {
            WriteParty(writer, "client"u8, c);
        }

        if (driver is { } d)
        {
            WriteParty(writer, "driver"u8, d);
        }

        writer.WriteEndObject();
        writer.Flush();
        results.Commit(ride.RideId, start);
    }

    private static void WritePoint(Utf8JsonWriter writer, ReadOnlySpan<byte> name, GeoPoint point)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("lat"u8, point.Lat);
        writer.WriteNumber("lon"u8, point.Lon);
        writer.WriteEndObject();
    }

    private static void WriteParty(Utf8JsonWriter writer, ReadOnlySpan<byte> name, CourseParty party)
    {
        writer.WriteStartObject(name);
        if (party.Name is not null)
        {
            writer.WriteString("name"u8, party.Name);
        }

        if (party.Phone is not null)
        {
            writer.WriteString("phone"u8, party.Phone);
        }

        writer.WriteEndObject();
    }
}
