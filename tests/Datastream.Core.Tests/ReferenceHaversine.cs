namespace Datastream.Core.Tests;

/// <summary>
/// An independent distance for the tests: the atan2 form of the haversine,
/// written apart from the product code so that a shared mistake cannot hide.
/// </summary>
internal static class ReferenceHaversine
{
    public static double Km(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        double dLat = Rad(lat2 - lat1);
        double dLon = Rad(lon2 - lon1);
        double a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 6371.0 * 2 * Math.Atan2(Math.Sqrt(a), Math.Sqrt(1 - a));
    }

    public static double PriceTotal(double distanceKm, double durationMin, double priceBase, double perKm, double perMin)
        => (double)Math.Round((decimal)priceBase + (decimal)distanceKm * (decimal)perKm + (decimal)durationMin * (decimal)perMin, 2, MidpointRounding.AwayFromZero);
}
