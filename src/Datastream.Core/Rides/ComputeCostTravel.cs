using System.Globalization;
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
    private readonly RideRecordParser _parser = new(options?.Limits ?? throw new ArgumentNullException(nameof(options)));
    private CourseRecordParser? _courseParser;

    public ComputeCostTravel()
        : this(new ComputeCostOptions())
    {
    }

    public ComputeCostOptions Options { get; } = options;

    /// <summary>As the overload with a processing time, measured now (one clock read per record: callers of batches pass theirs).</summary>
    public bool TryTransform(ReadOnlySpan<byte> payload, DateTime logTimestampUtc, RideResultBuffer results, out Rejection rejection)
        => TryTransform(payload, logTimestampUtc, DateTime.UtcNow, results, out rejection);

    /// <summary>
    /// Prices one record. On success appends one result (standard format) or one per element of "data" (course
    /// format) to <paramref name="results"/> and returns true. On failure appends nothing, returns false and
    /// says why in <paramref name="rejection"/>. <paramref name="logTimestampUtc"/> is the record's log timestamp,
    /// which the course format uses as the ride's ts; <paramref name="nowUtc"/> the processing time the ts limits are
    /// measured from (SPEC §3.1 plausibility).
    /// </summary>
    public bool TryTransform(ReadOnlySpan<byte> payload, DateTime logTimestampUtc, DateTime nowUtc, RideResultBuffer results, out Rejection rejection)
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

        // Most records take the shortcut; whatever it does not accept, the full parser reads (and judges) again.
        if (RideRecordShortcut.TryRead(payload, Options.Limits, nowUtc, out RideFields common))
        {
            return TryAppend(results, in common, payload, null, null, "$", out rejection);
        }

        switch (_parser.Parse(payload, nowUtc, out RideFields ride, out rejection))
        {
            case RideRecordParser.Outcome.Ride:
                return TryAppend(results, in ride, payload, null, null, "$", out rejection);
            case RideRecordParser.Outcome.Course:
                return TryTransformCourse(payload, logTimestampUtc, nowUtc, results, out rejection);
            default:
                return false;
        }
    }

    private bool TryTransformCourse(ReadOnlySpan<byte> payload, DateTime logTimestampUtc, DateTime nowUtc, RideResultBuffer results, out Rejection rejection)
    {
        _courseParser ??= new CourseRecordParser(Options.Limits);
        if (!_courseParser.TryParse(payload, UtcTimestamp.ToUtc(logTimestampUtc), nowUtc, out rejection))
        {
            return false;
        }

        // Elements are validated before anything is written, but writing can still fail (out of memory):
        // roll back so that a record is all in or all out.
        RideResultBuffer.Mark mark = results.Save();
        try
        {
            for (int i = 0; i < _courseParser.Rides.Count; i++)
            {
                CourseRide course = _courseParser.Rides[i];
                if (!TryAppend(results, in course.Ride, default, course.Client, course.Driver, $"$.data[{i}]", out rejection))
                {
                    results.RollBack(mark);
                    return false;
                }
            }
        }
        catch
        {
            results.RollBack(mark);
            throw;
        }

        return true;
    }

    /// <summary>Prices the ride and appends its result, unless the price_total is beyond the limit (<paramref name="path"/> is the ride's).</summary>
    private bool TryAppend(RideResultBuffer results, in RideFields ride, ReadOnlySpan<byte> source, CourseParty? client, CourseParty? driver, string path,
        out Rejection rejection)
    {
        double distanceKm = TravelCost.RoundDistanceKm(Haversine.DistanceKm(ride.Origin, ride.Destination));
        double priceTotal = TravelCost.PriceTotal(distanceKm, ride.DurationMin, ride.PriceBase, ride.PricePerKm, ride.PricePerMin);
        // The input limits keep it finite (RideLimits.Validate); this keeps the output JSON whatever they are set to.
        double max = Options.Limits.MaxPriceTotal;
        if (!(priceTotal <= max))
        {
            rejection = new Rejection(RejectionKind.Schema, path == "$" ? "$.price_total" : path + ".price_total",
                string.Create(CultureInfo.InvariantCulture, $"computed as {priceTotal:R}, {RideLimits.AtMost(max, "Limits:MaxPriceTotal")}"));
            return false;
        }

        RideResultWriter.Append(results, in ride, source, distanceKm, priceTotal, client, driver);
        rejection = default;
        return true;
    }
}
