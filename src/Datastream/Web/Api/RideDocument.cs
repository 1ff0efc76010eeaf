using Datastream.Core.Rides;

namespace Datastream.Web.Api;

/// <summary>A ride as /api returns it: the flattened document of SPEC §3.6, with its field names.</summary>
public sealed record RideDocument(
    Guid RideId,
    DateTime Ts,
    string Comfort,
    double OriginLat,
    double OriginLon,
    double DestinationLat,
    double DestinationLon,
    double DurationMin,
    double PriceBase,
    double PricePerKm,
    double PricePerMin,
    double DistanceKm,
    double PriceTotal,
    DateTime AgentTimestamp)
{
    public static RideDocument From(FlatRide ride) => new(ride.RideId, ride.TsUtc, ride.Comfort.WireName(), ride.OriginLat, ride.OriginLon,
        ride.DestinationLat, ride.DestinationLon, ride.DurationMin, ride.PriceBase, ride.PricePerKm, ride.PricePerMin, ride.DistanceKm,
        ride.PriceTotal, ride.AgentTimestampUtc);
}
