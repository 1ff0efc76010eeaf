namespace Datastream.Core.Rides;

/// <summary>One validated ride, normalized: what a rides_result document states before distance and price.</summary>
internal struct RideFields
{
    public Guid RideId;
    public DateTime TsUtc;
    public GeoPoint Origin;
    public GeoPoint Destination;
    public Comfort Comfort;
    public double DurationMin;
    public double PriceBase;
    public double PricePerKm;
    public double PricePerMin;
}
