namespace Datastream.Core.Rides;

/// <summary>
/// One validated ride, normalized: what a rides_result document states before distance and price. The
/// <see cref="CanonicalText"/> members point into the source record where a value's input text is already in
/// its output form (standard format only; the course format leaves them empty).
/// </summary>
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

    public CanonicalText RideIdText;
    public CanonicalText TsText;
    public CanonicalText OriginLatText;
    public CanonicalText OriginLonText;
    public CanonicalText DestinationLatText;
    public CanonicalText DestinationLonText;
    public CanonicalText DurationMinText;
    public CanonicalText PriceBaseText;
    public CanonicalText PricePerKmText;
    public CanonicalText PricePerMinText;
}
