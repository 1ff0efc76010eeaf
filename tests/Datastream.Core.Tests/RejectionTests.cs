using System.Text;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

public sealed class RejectionTests
{
    [Theory]
    [InlineData("ride_id")]
    [InlineData("ts")]
    [InlineData("origin")]
    [InlineData("destination")]
    [InlineData("comfort")]
    [InlineData("duration_min")]
    [InlineData("price_base")]
    [InlineData("price_per_km")]
    [InlineData("price_per_min")]
    public void Each_missing_field_is_required(string field)
        => Transform.AssertSchema(RawRide.Valid().Without(field).Json, "$." + field, "is required");

    [Theory]
    [InlineData("ride_id")]
    [InlineData("ts")]
    [InlineData("origin")]
    [InlineData("destination")]
    [InlineData("comfort")]
    [InlineData("duration_min")]
    [InlineData("price_base")]
    [InlineData("price_per_km")]
    [InlineData("price_per_min")]
    public void Each_null_field_is_required(string field)
        => Transform.AssertSchema(RawRide.Valid().With(field, "null").Json, "$." + field, "is required");

    [Theory]
    [InlineData("origin", "lat")]
    [InlineData("origin", "lon")]
    [InlineData("destination", "lat")]
    [InlineData("destination", "lon")]
    public void Each_missing_coordinate_is_required(string point, string coordinate)
    {
        string other = coordinate == "lat" ? "lon" : "lat";
        Transform.AssertSchema(RawRide.Valid().With(point, $$"""{"{{other}}":1}""").Json, $"$.{point}.{coordinate}", "is required");
    }

    [Theory]
    [InlineData("ride_id", "123", "must be a UUID")]
    [InlineData("ride_id", "true", "must be a UUID")]
    [InlineData("ts", "1730304587", "timestamp")]
    [InlineData("origin", "\"40.7,-73.9\"", "must be an object")]
    [InlineData("origin", "[40.7,-73.9]", "must be an object")]
    [InlineData("destination", "42", "must be an object")]
    [InlineData("comfort", "1", "must be a string")]
    [InlineData("comfort", "[\"low\"]", "must be a string")]
    [InlineData("duration_min", "\"38.5\"", "must be a number")]
    [InlineData("price_base", "\"2\"", "must be a number")]
    [InlineData("price_per_km", "true", "must be a number")]
    [InlineData("price_per_min", "{\"v\":1}", "must be a number")]
    public void Mistyped_fields_are_schema_errors(string field, string raw, string message)
        => Transform.AssertSchema(RawRide.Valid().With(field, raw).Json, "$." + field, message);

    [Theory]
    [InlineData("origin", "lat", "\"40.7\"", "must be a number")]
    [InlineData("origin", "lon", "\"-73.9\"", "must be a number")]
    [InlineData("destination", "lat", "null", "is required")]
    [InlineData("destination", "lon", "[1]", "must be a number")]
    [InlineData("origin", "lat", "90.0001", "must be between -90 and 90")]
    [InlineData("origin", "lat", "-90.5", "must be between -90 and 90")]
    [InlineData("destination", "lat", "1e3", "must be between -90 and 90")]
    [InlineData("origin", "lon", "180.0001", "must be between -180 and 180")]
    [InlineData("destination", "lon", "-181", "must be between -180 and 180")]
    [InlineData("origin", "lat", "1e400", "must be a finite number")]
    [InlineData("destination", "lon", "-1e400", "must be a finite number")]
    public void Bad_coordinates_name_their_path(string point, string coordinate, string raw, string message)
    {
        string value = coordinate == "lat" ? $$"""{"lat":{{raw}},"lon":1}""" : $$"""{"lat":1,"lon":{{raw}}}""";
        Transform.AssertSchema(RawRide.Valid().With(point, value).Json, $"$.{point}.{coordinate}", message);
    }

    [Theory]
    [InlineData("duration_min", "-1", "must not be negative")]
    [InlineData("price_base", "-0.01", "must not be negative")]
    [InlineData("price_per_km", "-1e-9", "must not be negative")]
    [InlineData("price_per_min", "-3", "must not be negative")]
    [InlineData("duration_min", "1e400", "must be a finite number")]
    [InlineData("price_base", "1e309", "must be a finite number")]
    [InlineData("price_per_km", "-1e400", "must be a finite number")]
    [InlineData("price_per_min", "123456789e999", "must be a finite number")]
    public void Bad_amounts_are_schema_errors(string field, string raw, string message)
        => Transform.AssertSchema(RawRide.Valid().With(field, raw).Json, "$." + field, message);

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void Non_json_number_literals_are_invalid_json(string raw)
        => Assert.Equal(RejectionKind.InvalidJson, Transform.Rejected(RawRide.Valid().With("price_base", raw).Json).Kind);

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("")]
    [InlineData("1b4e28ba2fa14d3ba3f5ef19b5a7633b")]
    [InlineData("{1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b}")]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633")]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633bb")]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633g")]
    [InlineData(" 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b")]
    public void Bad_uuids_are_rejected(string rideId)
        => Transform.AssertSchema(RawRide.Valid().With("ride_id", $"\"{rideId}\"").Json, "$.ride_id", "must be a UUID");

    [Theory]
    [InlineData("2025-10-30T16:09:47.123")]
    [InlineData("2025-10-30T16:09:47")]
    public void Ts_without_offset_is_rejected(string ts)
        => Transform.AssertSchema(RawRide.Valid().With("ts", $"\"{ts}\"").Json, "$.ts", "must have an explicit UTC offset");

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2025-13-30T16:09:47Z")]
    [InlineData("2025-10-30 16:09:47Z")]
    [InlineData("")]
    public void Unreadable_ts_is_rejected(string ts)
        => Transform.AssertSchema(RawRide.Valid().With("ts", $"\"{ts}\"").Json, "$.ts", "ISO-8601");

    [Theory]
    [InlineData("luxury")]
    [InlineData("")]
    [InlineData("lo w")]
    [InlineData("mediumm")]
    [InlineData("a-very-long-comfort-name-that-nobody-sends-at-all-really-not-ever-ever")]
    public void Unknown_comfort_is_rejected(string comfort)
        => Transform.AssertSchema(RawRide.Valid().With("comfort", $"\"{comfort}\"").Json, "$.comfort", "must be low, medium or high");

    [Fact]
    public void Duplicate_key_at_root_is_rejected()
        => Transform.AssertSchema(RawRide.Valid().Add("comfort", "\"high\"").Json, "$.comfort", "duplicate key");

    [Fact]
    public void Duplicate_key_spelled_with_an_escape_is_rejected()
        => Transform.AssertSchema(RawRide.Valid().Add("ride\\u005fid", "\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\"").Json, "$.ride_id", "duplicate key");

    [Fact]
    public void Duplicate_unknown_key_at_root_is_rejected()
        => Transform.AssertSchema(RawRide.Valid().Add("note", "1").Add("note", "2").Json, "$.note", "duplicate key");

    [Theory]
    [InlineData("origin", """{"lat":1,"lon":2,"lat":3}""", "$.origin.lat")]
    [InlineData("destination", """{"lon":2,"lat":1,"lon":2}""", "$.destination.lon")]
    [InlineData("origin", """{"lat":1,"lon":2,"x":1,"x":1}""", "$.origin.x")]
    public void Duplicate_key_in_a_point_is_rejected(string point, string raw, string path)
        => Transform.AssertSchema(RawRide.Valid().With(point, raw).Json, path, "duplicate key");

    [Theory]
    [InlineData("""{"a":{"b":1,"b":2}}""", "$.extra.a.b")]
    [InlineData("""[0,{"k":1},{"k":1,"k":2}]""", "$.extra[2].k")]
    [InlineData("""{"a":[{"x":{"y":1,"z":2,"y":3}}]}""", "$.extra.a[0].x.y")]
    public void Duplicate_key_inside_an_unknown_field_is_rejected(string raw, string path)
        => Transform.AssertSchema(RawRide.Valid().With("extra", raw).Json, path, "duplicate key");

    [Fact]
    public void Same_key_in_sibling_objects_is_not_a_duplicate()
        => Transform.Accepted(RawRide.Valid().With("extra", """[{"k":1},{"k":2},{"lat":1}]""").With("lat", "5").Json);

    [Fact]
    public void First_error_in_document_order_is_reported()
    {
        string json = RawRide.Valid().With("comfort", "\"luxury\"").With("price_base", "-1").Json;
        Transform.AssertSchema(json, "$.comfort", "must be low");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"ride_id\":}")]
    [InlineData("{'ride_id':1}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 // comment\n}")]
    [InlineData("not json")]
    public void Invalid_json_is_rejected_with_its_byte_position(string json)
    {
        Rejection rejection = Transform.Rejected(json);
        Assert.Equal(RejectionKind.InvalidJson, rejection.Kind);
        Assert.Equal("$", rejection.Path);
        Assert.Matches(@"at byte \d+", rejection.Message);
    }

    [Fact]
    public void Invalid_json_position_points_at_the_fault()
    {
        Rejection rejection = Transform.Rejected("{\"a\":1,\"b\":tru}");
        Assert.Equal(RejectionKind.InvalidJson, rejection.Kind);
        // The reader reports where it gave up inside the bad literal "tru" (bytes 11-14).
        long position = long.Parse(System.Text.RegularExpressions.Regex.Match(rejection.Message, @"at byte (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(position, 11, 14);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("{}")]
    [InlineData(",")]
    [InlineData("\"tail\"")]
    public void Trailing_content_is_invalid_json(string trailing)
        => Assert.Equal(RejectionKind.InvalidJson, Transform.Rejected(RawRide.Valid().Json + trailing).Kind);

    [Fact]
    public void Trailing_whitespace_is_fine()
        => Transform.Accepted(RawRide.Valid().Json + " \r\n\t ");

    [Fact]
    public void Invalid_json_wins_over_an_earlier_schema_error()
        => Assert.Equal(RejectionKind.InvalidJson, Transform.Rejected(RawRide.Valid().With("comfort", "\"luxury\"").Json + "]").Kind);

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"ride_id\":1}]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void Root_that_is_not_an_object_is_a_schema_error(string json)
        => Transform.AssertSchema(json, "$", "must be an object");

    [Fact]
    public void Invalid_utf8_is_an_encoding_error()
    {
        byte[] payload = RawRide.Valid().Bytes;
        byte[] bad = [.. payload[..^2], 0xC3, 0x28, .. payload[^2..]];
        Rejection rejection = Transform.Rejected(bad);
        Assert.Equal(RejectionKind.Encoding, rejection.Kind);
        Assert.Equal("$", rejection.Path);
    }

    [Fact]
    public void Invalid_utf8_is_reported_before_invalid_json()
        => Assert.Equal(RejectionKind.Encoding, Transform.Rejected([(byte)'{', 0xFF, 0xFE]).Kind);

    [Fact]
    public void Record_over_the_size_limit_is_too_large()
    {
        byte[] payload = RawRide.Valid().With("padding", "\"" + new string('x', 70_000) + "\"").Bytes;
        Rejection rejection = Transform.Rejected(payload);
        Assert.Equal(RejectionKind.TooLarge, rejection.Kind);
        Assert.Equal("$", rejection.Path);
        Assert.Contains("65536", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_limit_is_checked_before_encoding_and_is_configurable()
    {
        byte[] payload = [.. Encoding.UTF8.GetBytes(RawRide.Valid().Json), 0xFF];
        var options = new ComputeCostOptions { MaxMessageBytes = 100 };
        Assert.Equal(RejectionKind.TooLarge, Transform.Rejected(payload, options).Kind);
    }

    [Fact]
    public void Record_at_the_size_limit_is_accepted()
    {
        byte[] payload = RawRide.Valid().Bytes;
        var results = new RideResultBuffer();
        var transform = new ComputeCostTravel(new ComputeCostOptions { MaxMessageBytes = payload.Length });
        Assert.True(transform.TryTransform(payload, Transform.LogTimestamp, results, out _));
    }

    [Fact]
    public void Deeply_nested_unknown_field_is_invalid_json_not_a_crash()
    {
        string deep = new string('[', 200) + new string(']', 200);
        Assert.Equal(RejectionKind.InvalidJson, Transform.Rejected(RawRide.Valid().With("deep", deep).Json).Kind);
    }
}
