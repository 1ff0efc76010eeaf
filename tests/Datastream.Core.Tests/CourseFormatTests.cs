using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

public sealed class CourseFormatTests
{
    private const string Element = """
        {"confort":"standard","prix_base_per_km":2,
         "properties-client":{"logitude":2.3522,"latitude":48.8566,"nomclient":"FALL","telephoneClient":"060786575"},
         "properties-driver":{"logitude":3.7038,"latitude":40.4168,"nomDriver":"DIOP","telephoneDriver":"0760786575"}}
        """;

    private static string Record(params string[] elements) => "{\"data\":[" + string.Join(",", elements) + "]}";

    [Fact]
    public void Shared_course_file_gives_the_reference_distance_and_price()
    {
        string json = File.ReadAllText(SharedData.PathOf("data_projet.json"));
        JsonElement result = Transform.Accepted(json);
        Assert.Equal(944.494, result.GetProperty("distance_km").GetDouble());
        Assert.Equal(1888.99, result.GetProperty("price_total").GetDouble());
        Assert.Equal("low", result.GetProperty("comfort").GetString());
    }

    [Fact]
    public void Inline_course_record_maps_driver_to_origin_and_client_to_destination()
    {
        List<JsonElement> results = Transform.AcceptedAll(Record(Element));
        JsonElement result = Assert.Single(results);

        string[] expectedOrder = ["ride_id", "ts", "origin", "destination", "comfort", "duration_min", "price_base",
            "price_per_km", "price_per_min", "distance_km", "price_total", "client", "driver"];
        Assert.Equal(expectedOrder, result.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(40.4168, result.GetProperty("origin").GetProperty("lat").GetDouble());
        Assert.Equal(3.7038, result.GetProperty("origin").GetProperty("lon").GetDouble());
        Assert.Equal(48.8566, result.GetProperty("destination").GetProperty("lat").GetDouble());
        Assert.Equal(2.3522, result.GetProperty("destination").GetProperty("lon").GetDouble());
        Assert.Equal("2025-10-30T16:09:47.200Z", result.GetProperty("ts").GetString());
        Assert.Equal(0, result.GetProperty("duration_min").GetDouble());
        Assert.Equal(0, result.GetProperty("price_base").GetDouble());
        Assert.Equal(2, result.GetProperty("price_per_km").GetDouble());
        Assert.Equal(0, result.GetProperty("price_per_min").GetDouble());

        double expectedKm = Math.Round(ReferenceHaversine.Km(40.4168, 3.7038, 48.8566, 2.3522), 3, MidpointRounding.AwayFromZero);
        Assert.Equal(expectedKm, result.GetProperty("distance_km").GetDouble());
        Assert.Equal(ReferenceHaversine.PriceTotal(expectedKm, 0, 0, 2, 0), result.GetProperty("price_total").GetDouble());
        Assert.Equal(944.494, expectedKm);

        Assert.Equal("""{"name":"FALL","phone":"060786575"}""", result.GetProperty("client").GetRawText());
        Assert.Equal("""{"name":"DIOP","phone":"0760786575"}""", result.GetProperty("driver").GetRawText());
    }

    [Fact]
    public void Ride_id_is_the_v5_uuid_of_the_compact_element()
    {
        JsonElement result = Transform.Accepted(Record(Element));
        var rideId = Guid.Parse(result.GetProperty("ride_id").GetString()!);
        Assert.Equal(5, rideId.Version);
        Assert.Equal(rideId.ToString("D"), result.GetProperty("ride_id").GetString());

        // RFC 9562 §5.5 by hand: SHA-1 over namespace (network order) + name, then version and variant bits.
        using JsonDocument element = JsonDocument.Parse(Element);
        byte[] name = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(element.RootElement));
        byte[] input = [.. CourseRideId.Namespace.ToByteArray(bigEndian: true), .. name];
        byte[] hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        Assert.Equal(new Guid(hash.AsSpan(0, 16), bigEndian: true), rideId);
    }

    [Fact]
    public void Ride_id_is_stable_across_whitespace_and_log_timestamp()
    {
        string compact = Record(Element.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));
        string airy = "{ \"data\" : [\n\t" + Element.Replace(",", " ,\n  ", StringComparison.Ordinal).Replace(":", " : ", StringComparison.Ordinal) + "\n] }";
        Guid a = Guid.Parse(Transform.Accepted(Record(Element)).GetProperty("ride_id").GetString()!);
        Guid b = Guid.Parse(Transform.Accepted(compact).GetProperty("ride_id").GetString()!);
        Guid c = Guid.Parse(Transform.Accepted(airy).GetProperty("ride_id").GetString()!);
        Assert.Equal(a, b);
        Assert.Equal(a, c);

        var results = new RideResultBuffer();
        new ComputeCostTravel().TryTransform(Encoding.UTF8.GetBytes(compact), DateTime.UtcNow, results, out _);
        Assert.Equal(a, results.RideId(0));
    }

    [Fact]
    public void Different_elements_get_different_ids()
    {
        string other = Element.Replace("FALL", "NDIAYE", StringComparison.Ordinal);
        List<JsonElement> results = Transform.AcceptedAll(Record(Element, other));
        Assert.Equal(2, results.Count);
        Assert.NotEqual(results[0].GetProperty("ride_id").GetString(), results[1].GetProperty("ride_id").GetString());
    }

    [Fact]
    public void Phone_as_number_is_kept_as_text_and_absent_fields_are_omitted()
    {
        string element = """
            {"confort":"Premium","prix_base_per_km":1.5,
             "properties-client":{"logitude":2.35,"latitude":48.85,"telephoneClient":33612345678},
             "properties-driver":{"logitude":2.30,"latitude":48.80,"nomDriver":"Zoé"}}
            """;
        JsonElement result = Transform.Accepted(Record(element));
        Assert.Equal("high", result.GetProperty("comfort").GetString());
        Assert.Equal("""{"phone":"33612345678"}""", result.GetProperty("client").GetRawText());
        Assert.Equal("Zoé", result.GetProperty("driver").GetProperty("name").GetString());
        Assert.False(result.GetProperty("driver").TryGetProperty("phone", out _));
    }

    [Fact]
    public void One_bad_element_rejects_the_whole_record()
    {
        string bad = Element.Replace("48.8566", "148.8566", StringComparison.Ordinal);
        var results = new RideResultBuffer();
        var transform = new ComputeCostTravel();
        Assert.True(transform.TryTransform(RawRide.Valid().Bytes, Transform.LogTimestamp, results, out _));

        Assert.False(transform.TryTransform(Encoding.UTF8.GetBytes(Record(Element, Element, bad)), Transform.LogTimestamp, results, out Rejection rejection));
        Assert.Equal(RejectionKind.Schema, rejection.Kind);
        Assert.Equal("$.data[2].properties-client.latitude", rejection.Path);
        Assert.Equal("must be between -90 and 90", rejection.Message);
        Assert.Equal(1, results.Count);
    }

    [Theory]
    [InlineData("\"confort\":\"standard\"", "\"confort\":\"luxury\"", "$.data[0].confort", "must be low")]
    [InlineData("\"confort\":\"standard\"", "\"confort\":7", "$.data[0].confort", "must be a string")]
    [InlineData("\"confort\":\"standard\",", "", "$.data[0].confort", "is required")]
    [InlineData("\"prix_base_per_km\":2", "\"prix_base_per_km\":-2", "$.data[0].prix_base_per_km", "must be between 0 and 100000 (Limits:MaxPricePerKm)")]
    [InlineData("\"prix_base_per_km\":2", "\"prix_base_per_km\":\"2\"", "$.data[0].prix_base_per_km", "must be a number")]
    [InlineData("\"prix_base_per_km\":2", "\"prix_base_per_km\":1e400", "$.data[0].prix_base_per_km", "must be a finite number")]
    [InlineData("\"logitude\":3.7038", "\"logitude\":183.7", "$.data[0].properties-driver.logitude", "must be between -180 and 180")]
    [InlineData("\"latitude\":40.4168", "\"latitude\":\"40.4\"", "$.data[0].properties-driver.latitude", "must be a number")]
    [InlineData("\"latitude\":48.8566,", "", "$.data[0].properties-client.latitude", "is required")]
    [InlineData("\"nomDriver\":\"DIOP\"", "\"nomDriver\":12", "$.data[0].properties-driver.nomDriver", "must be a string")]
    [InlineData("\"telephoneClient\":\"060786575\"", "\"telephoneClient\":[1]", "$.data[0].properties-client.telephoneClient", "must be a string or a number")]
    [InlineData("\"nomclient\":\"FALL\"", "\"nomclient\":\"FALL\",\"nomclient\":\"X\"", "$.data[0].properties-client.nomclient", "duplicate key")]
    public void Bad_course_elements_name_their_path(string find, string replace, string path, string message)
    {
        string element = Element.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Element, element);
        Transform.AssertSchema(Record(element), path, message);
    }

    [Fact]
    public void Missing_party_is_required()
    {
        string element = """{"confort":"eco","prix_base_per_km":1,"properties-client":{"logitude":1,"latitude":1}}""";
        Transform.AssertSchema(Record(element), "$.data[0].properties-driver", "is required");
    }

    [Fact]
    public void Empty_data_is_a_schema_error()
        => Transform.AssertSchema("{\"data\":[]}", "$.data", "must not be empty");

    [Theory]
    [InlineData("{\"data\":{}}", "$.data", "must be an array")]
    [InlineData("{\"data\":null}", "$.data", "must be an array")]
    [InlineData("{\"data\":[1]}", "$.data[0]", "must be an object")]
    public void Malformed_data_is_a_schema_error(string json, string path, string message)
        => Transform.AssertSchema(json, path, message);

    [Fact]
    public void Duplicate_data_key_is_rejected()
        => Transform.AssertSchema("{\"data\":[" + Element + "],\"data\":[]}", "$.data", "duplicate key");

    [Fact]
    public void Record_with_data_and_ride_id_is_a_standard_record()
        => Transform.AssertSchema("{\"ride_id\":\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\",\"data\":[" + Element + "]}", "$.ts", "is required");

    [Fact]
    public void Invalid_json_in_a_course_record_is_invalid_json()
        => Assert.Equal(RejectionKind.InvalidJson, Transform.Rejected(Record(Element) + "}").Kind);
}
