using System.Text.Json.Serialization;
using Datastream.Core.Rides;

namespace Datastream.Web.Api;

/// <summary>A ride as /api returns it: the flattened document of SPEC §3.6, each property named by <see cref="RideSchema"/>.</summary>
public sealed record RideDocument(
    [property: JsonPropertyName(RideSchema.Names.RideId)] Guid RideId,
    [property: JsonPropertyName(RideSchema.Names.Ts)] DateTime Ts,
    [property: JsonPropertyName(RideSchema.Names.Comfort)] string Comfort,
    [property: JsonPropertyName(RideSchema.Names.OriginLat)] double OriginLat,
    [property: JsonPropertyName(RideSchema.Names.OriginLon)] double OriginLon,
    [property: JsonPropertyName(RideSchema.Names.DestinationLat)] double DestinationLat,
    [property: JsonPropertyName(RideSchema.Names.DestinationLon)] double DestinationLon,
    [property: JsonPropertyName(RideSchema.Names.DurationMin)] double DurationMin,
    [property: JsonPropertyName(RideSchema.Names.PriceBase)] double PriceBase,
    [property: JsonPropertyName(RideSchema.Names.PricePerKm)] double PricePerKm,
    [property: JsonPropertyName(RideSchema.Names.PricePerMin)] double PricePerMin,
    [property: JsonPropertyName(RideSchema.Names.DistanceKm)] double DistanceKm,
    [property: JsonPropertyName(RideSchema.Names.PriceTotal)] double PriceTotal,
    [property: JsonPropertyName(RideSchema.Names.AgentTimestamp)] DateTime AgentTimestamp)
{
    public static RideDocument From(FlatRide ride) => new(ride.RideId, ride.TsUtc, ride.Comfort.WireName(), ride.OriginLat, ride.OriginLon,
        ride.DestinationLat, ride.DestinationLon, ride.DurationMin, ride.PriceBase, ride.PricePerKm, ride.PricePerMin, ride.DistanceKm,
        ride.PriceTotal, ride.AgentTimestampUtc);
}
