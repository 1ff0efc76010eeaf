using System.Text.Unicode;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// The property of compute-cost's parsers (standard and course format, both behind ComputeCostTravel): it never
/// throws; a rejection has a reason and leaves no result; a payload that is not UTF-8 is an encoding (or
/// too_large) rejection; an acceptance leaves results that are strict JSON, carry their ride id and the
/// record's values, and that TransformJSON accepts at the same processing time.
/// </summary>
public sealed class ComputeCostProperty : IParserProperty
{
    private readonly ComputeCostTravel _travel = new();
    private readonly RideResultBuffer _results = new();

    public Verdict Check(byte[] input)
    {
        _results.Clear();
        if (!_travel.TryTransform(input, FuzzClock.Now, FuzzClock.Now, _results, out Rejection rejection))
        {
            RejectionCheck.Verify(rejection);
            if (_results.Count != 0)
            {
                throw new PropertyViolation("rejected but left results", $"{_results.Count} results, {rejection}");
            }

            if (!Utf8.IsValid(input) && rejection.Kind is not (RejectionKind.Encoding or RejectionKind.TooLarge))
            {
                throw new PropertyViolation("invalid UTF-8 rejected with another kind than encoding", rejection.ToString());
            }

            return Verdict.Rejected;
        }

        if (!Utf8.IsValid(input))
        {
            throw new PropertyViolation("accepted a payload that is not valid UTF-8", $"{_results.Count} results");
        }

        if (_results.Count == 0)
        {
            throw new PropertyViolation("accepted without a result", "");
        }

        var values = new List<byte[]>(_results.Count);
        for (int i = 0; i < _results.Count; i++)
        {
            byte[] value = _results.Value(i).ToArray();
            values.Add(value);
            if (StrictJson.Problem(value) is { } problem)
            {
                throw new PropertyViolation("output is not strict JSON", problem + " in " + PropertyViolation.Show(value));
            }
            if (!TransformJson.TryFlatten(value, FuzzClock.Now, out FlatRide ride, out Rejection refused))
            {
                throw new PropertyViolation("TransformJSON refuses a result of compute-cost", refused + " in " + PropertyViolation.Show(value));
            }

            if (ride.RideId != _results.RideId(i))
            {
                throw new PropertyViolation("result's ride_id differs from its key", $"{ride.RideId} vs {_results.RideId(i)}");
            }
        }

        ResultEchoesInput.Verify(input, values);
        return Verdict.Accepted;
    }
}
