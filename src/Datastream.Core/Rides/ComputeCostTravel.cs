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
    private readonly RideRecordParser _parser = new();
    private CourseRecordParser? _courseParser;

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
                Append(results, in ride, payload, null, null);
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
                Append(results, in course.Ride, default, course.Client, course.Driver);
            }
        }
        catch
        {
            results.RollBack(mark);
            throw;
        }

        return true;
    }

    private static void Append(RideResultBuffer results, in RideFields ride, ReadOnlySpan<byte> source, CourseParty? client, CourseParty? driver)
    {
        double distanceKm = TravelCost.RoundDistanceKm(Haversine.DistanceKm(ride.Origin, ride.Destination));
        double priceTotal = TravelCost.PriceTotal(distanceKm, ride.DurationMin, ride.PriceBase, ride.PricePerKm, ride.PricePerMin);
        RideResultWriter.Append(results, in ride, source, distanceKm, priceTotal, client, driver);
    }
}
