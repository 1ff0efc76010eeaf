using System.Text.Json;

namespace Datastream.Core.Tests;

public sealed class StandardRecordTests
{
    [Fact]
    public void Valid_record_gives_the_normalized_result_in_contract_order()
    {
        JsonElement result = Transform.Accepted(RawRide.Valid().Json);

        string[] expectedOrder = ["ride_id", "ts", "origin", "destination", "comfort", "duration_min", "price_base",
            "price_per_km", "price_per_min", "distance_km", "price_total"];
        Assert.Equal(expectedOrder, result.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", result.GetProperty("ride_id").GetString());
        Assert.Equal("2025-10-30T16:09:47.123Z", result.GetProperty("ts").GetString());
        Assert.Equal(40.7484, result.GetProperty("origin").GetProperty("lat").GetDouble());
        Assert.Equal(-73.9857, result.GetProperty("origin").GetProperty("lon").GetDouble());
        Assert.Equal(40.6413, result.GetProperty("destination").GetProperty("lat").GetDouble());
        Assert.Equal(-73.7781, result.GetProperty("destination").GetProperty("lon").GetDouble());
        Assert.Equal("medium", result.GetProperty("comfort").GetString());
        Assert.Equal(38.5, result.GetProperty("duration_min").GetDouble());
        Assert.Equal(2.0, result.GetProperty("price_base").GetDouble());
        Assert.Equal(1.1, result.GetProperty("price_per_km").GetDouble());
        Assert.Equal(0.3, result.GetProperty("price_per_min").GetDouble());

        double expectedKm = Math.Round(ReferenceHaversine.Km(40.7484, -73.9857, 40.6413, -73.7781), 3, MidpointRounding.AwayFromZero);
        Assert.Equal(expectedKm, result.GetProperty("distance_km").GetDouble());
        Assert.Equal(ReferenceHaversine.PriceTotal(expectedKm, 38.5, 2.0, 1.1, 0.3), result.GetProperty("price_total").GetDouble());
    }

    [Fact]
    public void Numbers_are_written_as_shortest_round_trip_doubles()
    {
        var results = new Datastream.Core.Rides.RideResultBuffer();
        Assert.True(new Datastream.Core.Rides.ComputeCostTravel().TryTransform(RawRide.Valid().Bytes, Transform.LogTimestamp, results, out _));
        string json = System.Text.Encoding.UTF8.GetString(results.Value(0));
        Assert.Contains("\"price_per_km\":1.1,", json, StringComparison.Ordinal);
        Assert.Contains("\"origin\":{\"lat\":40.7484,\"lon\":-73.9857}", json, StringComparison.Ordinal);
        Assert.DoesNotContain(" ", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B")]
    [InlineData("1b4e28ba-2FA1-4d3b-A3F5-ef19b5a7633b")]
    public void Ride_id_of_any_case_is_written_lower_case(string rideId)
    {
        JsonElement result = Transform.Accepted(RawRide.Valid().With("ride_id", $"\"{rideId}\"").Json);
        Assert.Equal("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", result.GetProperty("ride_id").GetString());
    }

    [Theory]
    [InlineData("2025-10-30T18:09:47.123+02:00", "2025-10-30T16:09:47.123Z")]
    [InlineData("2025-10-30T11:09:47.123-05:00", "2025-10-30T16:09:47.123Z")]
    [InlineData("2025-10-31T00:39:47+08:30", "2025-10-30T16:09:47.000Z")]
    [InlineData("2025-10-30T16:09:47Z", "2025-10-30T16:09:47.000Z")]
    [InlineData("2025-10-30T16:09:47.1234567Z", "2025-10-30T16:09:47.123Z")]
    [InlineData("2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00.000Z")]
    public void Ts_with_an_offset_is_normalized_to_utc(string ts, string expected)
    {
        JsonElement result = Transform.Accepted(RawRide.Valid().With("ts", $"\"{ts}\"").Json);
        Assert.Equal(expected, result.GetProperty("ts").GetString());
    }

    [Theory]
    [InlineData("low", "low")]
    [InlineData("LOW", "low")]
    [InlineData("eco", "low")]
    [InlineData("Eco", "low")]
    [InlineData("economy", "low")]
    [InlineData("ECONOMY", "low")]
    [InlineData("standard", "low")]
    [InlineData("Standard", "low")]
    [InlineData("medium", "medium")]
    [InlineData("MeDiUm", "medium")]
    [InlineData("comfort", "medium")]
    [InlineData("COMFORT", "medium")]
    [InlineData("high", "high")]
    [InlineData("HIGH", "high")]
    [InlineData("business", "high")]
    [InlineData("Business", "high")]
    [InlineData("premium", "high")]
    [InlineData("PREMIUM", "high")]
    [InlineData("hight", "high")]
    [InlineData("Hight", "high")]
    public void Comfort_aliases_map_to_canonical_levels(string comfort, string expected)
    {
        JsonElement result = Transform.Accepted(RawRide.Valid().With("comfort", $"\"{comfort}\"").Json);
        Assert.Equal(expected, result.GetProperty("comfort").GetString());
    }

    [Fact]
    public void Escaped_strings_and_names_are_read_unescaped()
    {
        string json = RawRide.Valid().Without("comfort").Add("com\\u0066ort", "\"\\u0068igh\"").Json;
        Assert.Equal("high", Transform.Accepted(json).GetProperty("comfort").GetString());
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_not_carried()
    {
        string json = RawRide.Valid()
            .With("driver_note", "\"be quick\"")
            .With("extra", """{"nested":[1,{"a":true}],"n":null}""")
            .Json;
        JsonElement result = Transform.Accepted(json);
        Assert.False(result.TryGetProperty("driver_note", out _));
        Assert.False(result.TryGetProperty("extra", out _));
        Assert.Equal(11, result.EnumerateObject().Count());
    }

    [Fact]
    public void Unknown_fields_inside_points_are_ignored()
    {
        JsonElement result = Transform.Accepted(RawRide.Valid().With("origin", """{"alt":12,"lat":1,"lon":2}""").Json);
        Assert.Equal(2, result.GetProperty("origin").EnumerateObject().Count());
    }

    [Fact]
    public void Field_order_in_the_input_does_not_matter()
    {
        string json = """
            { "price_per_min": 0.3, "price_per_km": 1.1, "price_base": 2.0, "duration_min": 38.5, "comfort": "medium",
              "destination": {"lon": -73.7781, "lat": 40.6413}, "origin": {"lon": -73.9857, "lat": 40.7484},
              "ts": "2025-10-30T16:09:47.123Z", "ride_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b" }
            """;
        Assert.Equal(Transform.Accepted(RawRide.Valid().Json).GetRawText(), Transform.Accepted(json).GetRawText());
    }

    [Theory]
    [InlineData("90", "180")]
    [InlineData("-90", "-180")]
    [InlineData("0", "0")]
    [InlineData("-0.0", "1e-300")]
    public void Coordinate_bounds_are_inclusive(string lat, string lon)
    {
        Transform.Accepted(RawRide.Valid().With("destination", $$"""{"lat":{{lat}},"lon":{{lon}}}""").Json);
    }

    [Fact]
    public void Zero_prices_and_duration_are_accepted()
    {
        JsonElement result = Transform.Accepted(RawRide.Valid()
            .With("duration_min", "0").With("price_base", "0").With("price_per_km", "0").With("price_per_min", "0").Json);
        Assert.Equal(0, result.GetProperty("price_total").GetDouble());
    }
}
