using System.Text.Unicode;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// The property of TransformJSON (index-and-export): it never throws; a rejection has a reason; an accepted
/// ride came from valid UTF-8, has only finite numbers within the plausibility limits (RideLimits) and is stamped
/// with the agent timestamp it was given.
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

        if (OutsideLimits(ride, RideLimits.Default) is { } field)
        {
            throw new PropertyViolation($"accepted a ride whose {field} is outside the limits", ride.ToString());
        }

        return Verdict.Accepted;
    }

    private static string? OutsideLimits(FlatRide ride, RideLimits limits)
    {
        static bool Within(double value, double min, double max) => value >= min && value <= max;
        return true switch
        {
            _ when !Within(ride.OriginLat, -90, 90) || !Within(ride.DestinationLat, -90, 90) => "lat",
            _ when !Within(ride.OriginLon, -180, 180) || !Within(ride.DestinationLon, -180, 180) => "lon",
            _ when !Within(ride.DurationMin, 0, limits.MaxDurationMin) => "duration_min",
            _ when !Within(ride.PriceBase, 0, limits.MaxPriceBase) => "price_base",
            _ when !Within(ride.PricePerKm, 0, limits.MaxPricePerKm) => "price_per_km",
            _ when !Within(ride.PricePerMin, 0, limits.MaxPricePerMin) => "price_per_min",
            _ when !Within(ride.DistanceKm, 0, RideLimits.MaxDistanceKm) => "distance_km",
            _ when !Within(ride.PriceTotal, 0, limits.MaxPriceTotal) => "price_total",
            _ when ride.TsUtc > FuzzClock.Now + limits.MaxTsAhead => "ts",
            _ => null,
        };
    }
}
