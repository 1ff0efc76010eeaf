namespace Datastream.IntegrationTests;

/// <summary>
/// The checker's own distance and price, written apart from Datastream.Core (atan2 form of the haversine,
/// decimal arithmetic) so that a shared mistake cannot hide.
/// </summary>
public static class IndependentPricing
{
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        double a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        double km = 6371.0 * 2 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
        return (double)Math.Round((decimal)km, 3, MidpointRounding.AwayFromZero);
    }

    public static double Price(double distanceKm, double durationMin, double priceBase, double perKm, double perMin)
        => (double)Math.Round((decimal)priceBase + (decimal)distanceKm * (decimal)perKm + (decimal)durationMin * (decimal)perMin, 2, MidpointRounding.AwayFromZero);
}
