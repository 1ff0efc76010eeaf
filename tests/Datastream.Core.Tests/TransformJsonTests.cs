using System.Text;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

public sealed class TransformJsonTests
{
    private static readonly DateTime Agent = new(2025, 10, 30, 16, 10, 0, 5, DateTimeKind.Utc);

    [Fact]
    public void FlattensWhatComputeCostTravelWrites()
    {
        var results = new RideResultBuffer();
        string raw = """{"ride_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b","ts":"2025-10-30T18:09:47.123+02:00","origin":{"lat":40.7484,"lon":-73.9857},"destination":{"lat":40.6413,"lon":-73.7781},"comfort":"premium","duration_min":38.5,"price_base":2.0,"price_per_km":1.1,"price_per_min":0.3}""";
        Assert.True(new ComputeCostTravel().TryTransform(Encoding.UTF8.GetBytes(raw), DateTime.UtcNow, results, out _));

        Assert.True(TransformJson.TryFlatten(results.Value(0), Agent, out var ride, out var rejection), rejection.ToString());

        Assert.Equal(Guid.Parse("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"), ride.RideId);
        Assert.Equal(new DateTime(2025, 10, 30, 16, 9, 47, 123, DateTimeKind.Utc), ride.TsUtc);
        Assert.Equal(DateTimeKind.Utc, ride.TsUtc.Kind);
        Assert.Equal(Comfort.High, ride.Comfort);
        Assert.Equal((40.7484, -73.9857, 40.6413, -73.7781), (ride.OriginLat, ride.OriginLon, ride.DestinationLat, ride.DestinationLon));
        Assert.Equal((38.5, 2.0, 1.1, 0.3), (ride.DurationMin, ride.PriceBase, ride.PricePerKm, ride.PricePerMin));
        using var doc = System.Text.Json.JsonDocument.Parse(results.Value(0).ToArray());
        Assert.Equal(doc.RootElement.GetProperty("distance_km").GetDouble(), ride.DistanceKm);
        Assert.Equal(doc.RootElement.GetProperty("price_total").GetDouble(), ride.PriceTotal);
        Assert.Equal(Agent, ride.AgentTimestampUtc);
    }

    [Fact]
    public void IgnoresCourseFormatPartiesAndUnknownFields()
    {
        string result = """{"ride_id":"00000000-0000-5000-8000-000000000001","ts":"2025-10-30T16:09:47Z","origin":{"lat":40.4168,"lon":3.7038,"alt":3},"destination":{"lat":48.8566,"lon":2.3522},"comfort":"low","duration_min":0,"price_base":0,"price_per_km":2,"price_per_min":0,"distance_km":944.494,"price_total":1888.99,"client":{"name":"FALL","phone":"060786575"},"driver":{"name":"DIOP"}}""";
        Assert.True(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(result), Agent, out var ride, out _));
        Assert.Equal(944.494, ride.DistanceKm);
        Assert.Equal(1888.99, ride.PriceTotal);
    }

    [Theory]
    [InlineData("{\"ride_id\":", RejectionKind.InvalidJson, "$")]
    [InlineData("[1]", RejectionKind.Schema, "$")]
    [InlineData("{\"ride_id\":\"nope\"}", RejectionKind.Schema, "$.ride_id")]
    [InlineData("{\"ride_id\":\"00000000-0000-5000-8000-000000000001\"}", RejectionKind.Schema, "$.ts")]
    [InlineData("{\"ride_id\":\"00000000-0000-5000-8000-000000000001\",\"ts\":\"2025-10-30T16:09:47Z\",\"origin\":{\"lat\":1}}", RejectionKind.Schema, "$.origin.lon")]
    [InlineData("{\"ride_id\":\"00000000-0000-5000-8000-000000000001\",\"ts\":\"2025-10-30T16:09:47Z\",\"origin\":{\"lat\":1,\"lon\":2},\"destination\":{\"lat\":1,\"lon\":2},\"comfort\":\"low\",\"duration_min\":\"5\"}", RejectionKind.Schema, "$.duration_min")]
    [InlineData("{\"ride_id\":\"00000000-0000-5000-8000-000000000001\",\"ts\":\"2025-10-30T16:09:47Z\",\"origin\":{\"lat\":1,\"lon\":2},\"destination\":{\"lat\":1,\"lon\":2},\"comfort\":\"gold\"}", RejectionKind.Schema, "$.comfort")]
    [InlineData("{\"ride_id\":\"00000000-0000-5000-8000-000000000001\",\"ts\":\"2025-10-30T16:09:47Z\",\"origin\":{\"lat\":1,\"lon\":2},\"destination\":{\"lat\":1,\"lon\":2},\"comfort\":\"low\",\"duration_min\":1,\"price_base\":1,\"price_per_km\":1,\"price_per_min\":1,\"distance_km\":1}", RejectionKind.Schema, "$.price_total")]
    public void RefusesWhatIsNotAResult(string text, RejectionKind kind, string path)
    {
        Assert.False(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(text), Agent, out _, out var rejection));
        Assert.Equal(kind, rejection.Kind);
        Assert.Equal(path, rejection.Path);
    }

    private const string GoodResult = """{"ride_id":"00000000-0000-5000-8000-000000000001","ts":"2025-10-30T16:09:47Z","origin":{"lat":40.4168,"lon":3.7038},"destination":{"lat":48.8566,"lon":2.3522},"comfort":"low","duration_min":0,"price_base":0,"price_per_km":2,"price_per_min":0,"distance_km":944.494,"price_total":1888.99}""";

    [Theory]
    [InlineData(GoodResult + " x", RejectionKind.InvalidJson, "$")]
    [InlineData(GoodResult + GoodResult, RejectionKind.InvalidJson, "$")]
    [InlineData("{\"ride_id\":\"nope\",\"x\":[1,", RejectionKind.InvalidJson, "$")]
    [InlineData("{\"\\udc00\":0}", RejectionKind.Encoding, "$")]
    [InlineData("{\"ride_id\":\"\\ud800\"}", RejectionKind.Encoding, "$.ride_id")]
    [InlineData("{\"comfort\":\"lo\\udc00\"}", RejectionKind.Encoding, "$.comfort")]
    [InlineData("{\"origin\":{\"\\ud800\":1}}", RejectionKind.Encoding, "$.origin")]
    [InlineData("{\"ride_id\":\"00000000-0000-5000-8000-000000000001\",\"ride\\u005fid\":\"00000000-0000-5000-8000-000000000001\"}", RejectionKind.Schema, "$.ride_id")]
    [InlineData("{\"origin\":{\"lat\":1,\"l\\u0061t\":2}}", RejectionKind.Schema, "$.origin.lat")]
    [InlineData("{\"origin\":{\"lat\":90.5,\"lon\":0}}", RejectionKind.Schema, "$.origin.lat")]
    [InlineData("{\"destination\":{\"lat\":0,\"lon\":-180.001}}", RejectionKind.Schema, "$.destination.lon")]
    [InlineData("{\"ts\":\"2025-10-30T16:09:47\"}", RejectionKind.Schema, "$.ts")]
    [InlineData("{\"ts\":\"9999-10-30T16:09:47Z\"}", RejectionKind.Schema, "$.ts")]
    [InlineData("{\"duration_min\":-1}", RejectionKind.Schema, "$.duration_min")]
    [InlineData("{\"price_per_km\":1e308}", RejectionKind.Schema, "$.price_per_km")]
    [InlineData("{\"distance_km\":20015.1}", RejectionKind.Schema, "$.distance_km")]
    [InlineData("{\"price_total\":1e400}", RejectionKind.Schema, "$.price_total")]
    [InlineData("{\"price_total\":1000000000.01}", RejectionKind.Schema, "$.price_total")]
    public void Refuses_hostile_results_with_a_kind_and_a_path(string text, RejectionKind kind, string path)
    {
        Assert.False(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(text), Agent, out _, out var rejection));
        Assert.Equal((kind, path), (rejection.Kind, rejection.Path));
    }

    [Fact]
    public void Refuses_bytes_that_are_not_utf8_and_reads_escaped_values()
    {
        byte[] bad = [.. Encoding.UTF8.GetBytes(GoodResult[..^1]), .. ",\"n\":\""u8.ToArray(), 0xC0, 0xAF, .. "\"}"u8.ToArray()];
        Assert.False(TransformJson.TryFlatten(bad, Agent, out _, out var rejection));
        Assert.Equal(RejectionKind.Encoding, rejection.Kind);

        string escaped = GoodResult.Replace("\"comfort\":\"low\"", "\"c\\u006fmfort\":\"\\u0048igh\"", StringComparison.Ordinal);
        Assert.True(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(escaped), Agent, out var ride, out rejection), rejection.ToString());
        Assert.Equal(Comfort.High, ride.Comfort);
    }

    [Fact]
    public void A_ts_ahead_of_the_agent_timestamp_by_more_than_the_limit_is_refused()
    {
        string result = GoodResult.Replace("2025-10-30T16:09:47Z", "2025-10-31T16:10:00.006Z", StringComparison.Ordinal);
        Assert.False(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(result), Agent, out _, out var rejection));
        Assert.Equal("$.ts", rejection.Path);
        Assert.True(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(result), Agent, new RideLimits { MaxTsAhead = TimeSpan.FromDays(2) }, out _, out rejection), rejection.ToString());
    }
}
