using System.Text.Unicode;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// The property of TransformJSON (index-and-export): it never throws; a rejection has a reason; an accepted
/// ride came from valid UTF-8 and has only finite numbers, stamped with the agent timestamp it was given.
/// </summary>
public sealed class TransformJsonProperty : IParserProperty
{
    public Verdict Check(byte[] input)
    {
        if (!TransformJson.TryFlatten(input, FuzzClock.Now, out FlatRide ride, out Rejection rejection))
        {
            RejectionCheck.Verify(rejection);
            return Verdict.Rejected;
        }

        if (!Utf8.IsValid(input))
        {
            throw new PropertyViolation("accepted a result that is not valid UTF-8", ride.ToString());
        }

        double[] numbers = [ride.OriginLat, ride.OriginLon, ride.DestinationLat, ride.DestinationLon, ride.DurationMin,
            ride.PriceBase, ride.PricePerKm, ride.PricePerMin, ride.DistanceKm, ride.PriceTotal];
        if (!numbers.All(double.IsFinite))
        {
            throw new PropertyViolation("accepted a ride with a number that is not finite", ride.ToString());
        }

        if (!Enum.IsDefined(ride.Comfort) || ride.AgentTimestampUtc != FuzzClock.Now)
        {
            throw new PropertyViolation("accepted a ride with an undefined comfort or another agent timestamp", ride.ToString());
        }

        return Verdict.Accepted;
    }
}
