using Datastream.Core.Pricing;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

public sealed class HaversineTests
{
    [Theory]
    [InlineData(40.7484, -73.9857, 40.6413, -73.7781)]
    [InlineData(48.8566, 2.3522, 40.4168, 3.7038)]
    [InlineData(-33.8688, 151.2093, 51.5074, -0.1278)]
    [InlineData(89.9, 179.9, -89.9, -179.9)]
    public void Distance_is_symmetric_and_matches_an_independent_formula(double lat1, double lon1, double lat2, double lon2)
    {
        var a = new GeoPoint(lat1, lon1);
        var b = new GeoPoint(lat2, lon2);
        Assert.Equal(Haversine.DistanceKm(a, b), Haversine.DistanceKm(b, a), 9);
        Assert.Equal(ReferenceHaversine.Km(lat1, lon1, lat2, lon2), Haversine.DistanceKm(a, b), 6);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(40.7484, -73.9857)]
    [InlineData(90, 0)]
    [InlineData(-90, 180)]
    public void Identical_points_are_zero_km_apart(double lat, double lon)
        => Assert.Equal(0, Haversine.DistanceKm(new GeoPoint(lat, lon), new GeoPoint(lat, lon)));

    [Theory]
    [InlineData(0, 0, 0, 180)]
    [InlineData(90, 0, -90, 0)]
    [InlineData(40.7484, -73.9857, -40.7484, 106.0143)]
    public void Antipodes_are_half_the_circumference_apart(double lat1, double lon1, double lat2, double lon2)
        => Assert.Equal(Math.PI * 6371.0, Haversine.DistanceKm(new GeoPoint(lat1, lon1), new GeoPoint(lat2, lon2)), 0.1);

    [Fact]
    public void Antipodes_distance_is_about_20015_km()
        => Assert.InRange(Haversine.DistanceKm(new GeoPoint(0, 0), new GeoPoint(0, 180)), 20015.0, 20015.2);

    [Fact]
    public void Jfk_to_lax_is_about_3975_km()
    {
        var jfk = new GeoPoint(40.6413, -73.7781);
        var lax = new GeoPoint(33.9416, -118.4085);
        Assert.InRange(Haversine.DistanceKm(jfk, lax), 3974, 3983);
    }

    [Fact]
    public void Distance_is_rounded_to_three_decimals()
    {
        Assert.Equal(1.235, TravelCost.RoundDistanceKm(1.2345000001));
        Assert.Equal(944.494, TravelCost.RoundDistanceKm(Haversine.DistanceKm(new GeoPoint(40.4168, 3.7038), new GeoPoint(48.8566, 2.3522))));
    }
}
