namespace Datastream.Core.Rides;

/// <summary>
/// The flattened document of TransformJSON (SPEC §3.6): what the index and the lake store for one ride.
/// AgentTimestampUtc is when TransformJSON processed it.
/// </summary>
public readonly record struct FlatRide(
    Guid RideId,
    DateTime TsUtc,
    Comfort Comfort,
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
    DateTime AgentTimestampUtc);
