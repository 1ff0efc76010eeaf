using System.Text;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>
/// Records that are legal JSON grammar but no Unicode text, or plausible grammar with implausible values (issue 11):
/// each is refused with a kind and a path, never an exception, never an output that is not strict JSON.
/// </summary>
public sealed class HostileRecordTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Rejection Rejected(byte[] payload, ComputeCostOptions? options = null, DateTime? logTimestamp = null)
    {
        var results = new RideResultBuffer();
        bool ok = new ComputeCostTravel(options ?? new ComputeCostOptions()).TryTransform(payload, logTimestamp ?? Now.AddMinutes(-1), Now, results, out Rejection rejection);
        Assert.False(ok, "accepted: " + (results.Count > 0 ? Encoding.UTF8.GetString(results.Value(0)) : ""));
        Assert.Equal(0, results.Count);
        return rejection;
    }

    private static string Accepted(byte[] payload)
    {
        var results = new RideResultBuffer();
        Assert.True(new ComputeCostTravel().TryTransform(payload, Now.AddMinutes(-1), Now, results, out Rejection rejection), "rejected: " + rejection);
        return Encoding.UTF8.GetString(results.Value(0));
    }

    [Theory]
    [InlineData("""{"\udc00":0}""", "$")]
    [InlineData("""{"\ud800x":0}""", "$")]
    [InlineData("""{"ride_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b","extra":{"\udfff":1}}""", "$.extra")]
    [InlineData("""{"origin":{"\ud800":1}}""", "$.origin")]
    public void An_escaped_lone_surrogate_in_a_name_is_an_encoding_dead_letter(string json, string pathPrefix)
    {
        Rejection rejection = Rejected(Encoding.UTF8.GetBytes(json));
        Assert.Equal(RejectionKind.Encoding, rejection.Kind);
        Assert.StartsWith(pathPrefix, rejection.Path, StringComparison.Ordinal);
        Assert.Contains("lone surrogate", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ride_id", "\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7\\ud800\"", "$.ride_id")]
    [InlineData("ts", "\"2025-10-30T16:09:47\\udc00Z\"", "$.ts")]
    [InlineData("comfort", "\"low\\ud83d\"", "$.comfort")]
    [InlineData("comfort", "\"\\udc00\\ud800\"", "$.comfort")]
    public void An_escaped_lone_surrogate_in_a_value_that_is_read_is_an_encoding_dead_letter(string field, string raw, string path)
    {
        Rejection rejection = Rejected(RawRide.Valid().With(field, raw).Bytes);
        Assert.Equal((RejectionKind.Encoding, path), (rejection.Kind, rejection.Path));
    }

    [Fact]
    public void A_lone_surrogate_in_an_unknown_value_is_not_read_and_a_pair_is_text()
    {
        Accepted(RawRide.Valid().With("note", "\"\\ud800\"").Bytes);
        Accepted(RawRide.Valid().With("note", "\"\\ud83d\\ude00\"").Bytes);
        Assert.Contains("\"comfort\":\"low\"", Accepted(RawRide.Valid().With("comfort", "\"\\u006cow\"").Bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("confort", "\"low\\ud800\"")]
    [InlineData("nomclient", "\"\\udc00\"")]
    [InlineData("unknown", "\"\\ud800\"")]
    public void A_course_element_with_a_lone_surrogate_anywhere_is_an_encoding_dead_letter(string field, string raw)
    {
        string element = field switch
        {
            "confort" => $$$"""{"confort":{{{raw}}},"prix_base_per_km":2,"properties-client":{"logitude":2.35,"latitude":48.85},"properties-driver":{"logitude":3.7,"latitude":40.4}}""",
            "nomclient" => $$$"""{"confort":"low","prix_base_per_km":2,"properties-client":{"logitude":2.35,"latitude":48.85,"nomclient":{{{raw}}}},"properties-driver":{"logitude":3.7,"latitude":40.4}}""",
            _ => $$$"""{"confort":"low","prix_base_per_km":2,"{{{field}}}":{{{raw}}},"properties-client":{"logitude":2.35,"latitude":48.85},"properties-driver":{"logitude":3.7,"latitude":40.4}}""",
        };

        Rejection rejection = Rejected(Encoding.UTF8.GetBytes($$"""{"data":[{{element}}]}"""));
        Assert.Equal((RejectionKind.Encoding, "$.data[0]"), (rejection.Kind, rejection.Path));
    }

    [Theory]
    [InlineData("duration_min", "10080.5", "Limits:MaxDurationMin")]
    [InlineData("price_base", "100000.01", "Limits:MaxPriceBase")]
    [InlineData("price_per_km", "1e308", "Limits:MaxPricePerKm")]
    [InlineData("price_per_min", "1e200", "Limits:MaxPricePerMin")]
    public void Amounts_beyond_their_limit_are_schema_dead_letters_naming_the_field_and_the_key(string field, string value, string key)
    {
        Rejection rejection = Rejected(RawRide.Valid().With(field, value).Bytes);
        Assert.Equal((RejectionKind.Schema, "$." + field), (rejection.Kind, rejection.Path));
        Assert.Contains(key, rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2025-10-30T16:09:47+14:30\"")]
    [InlineData("\"2025-10-30T16:09:47.Z\"")]
    [InlineData("\"2009-11-22T12:24:14.-02:15\"")]
    public void Timestamps_that_are_not_iso8601_are_refused_by_both_parsers(string raw)
    {
        Assert.Equal("$.ts", Rejected(RawRide.Valid().With("ts", raw).Bytes).Path);
        string result = $$"""{"ride_id":"00000000-0000-5000-8000-000000000001","ts":{{raw}},"origin":{"lat":1,"lon":2},"destination":{"lat":1,"lon":2},"comfort":"low","duration_min":1,"price_base":1,"price_per_km":1,"price_per_min":1,"distance_km":0,"price_total":2}""";
        Assert.False(TransformJson.TryFlatten(Encoding.UTF8.GetBytes(result), Now, out _, out Rejection rejection));
        Assert.Equal("$.ts", rejection.Path);
    }

    [Fact]
    public void A_ride_id_and_ts_written_entirely_as_escapes_are_read()
    {
        static string Escaped(string text) => "\"" + string.Concat(text.Select(c => $"\\u{(int)c:x4}")) + "\"";
        string result = Accepted(RawRide.Valid().With("ride_id", Escaped("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b")).With("ts", Escaped("2025-10-30T16:09:47.123Z")).Bytes);
        Assert.StartsWith("{\"ride_id\":\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\",\"ts\":\"2025-10-30T16:09:47.123Z\"", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_themselves_are_accepted()
        => Accepted(RawRide.Valid().With("duration_min", "10080").With("price_base", "100000").With("price_per_km", "0").With("price_per_min", "0").Bytes);

    [Fact]
    public void A_ts_more_than_24_hours_ahead_is_refused_the_past_is_not_unless_configured()
    {
        Accepted(RawRide.Valid().With("ts", "\"2026-12-02T11:59:59Z\"").Bytes);
        Accepted(RawRide.Valid().With("ts", "\"0001-01-01T00:00:00Z\"").Bytes);
        Rejection future = Rejected(RawRide.Valid().With("ts", "\"9999-12-31T23:59:59Z\"").Bytes);
        Assert.Equal((RejectionKind.Schema, "$.ts"), (future.Kind, future.Path));
        Assert.Contains("Limits:MaxTsAheadHours", future.Message, StringComparison.Ordinal);
        Assert.Equal("$.ts", Rejected(RawRide.Valid().With("ts", "\"2026-12-02T12:00:01+00:00\"").Bytes).Path);

        var withFloor = new ComputeCostOptions { Limits = new RideLimits { EarliestTsUtc = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc) } };
        Rejection past = Rejected(RawRide.Valid().With("ts", "\"1999-12-31T23:59:59.999Z\"").Bytes, withFloor);
        Assert.Equal((RejectionKind.Schema, "$.ts"), (past.Kind, past.Path));
        Assert.Contains("2000-01-01T00:00:00Z", past.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_course_record_is_held_to_the_limits_through_its_log_timestamp_and_its_total()
    {
        const string element = """{"confort":"low","prix_base_per_km":100000,"properties-client":{"logitude":-179,"latitude":0},"properties-driver":{"logitude":1,"latitude":0}}""";
        byte[] payload = Encoding.UTF8.GetBytes($$"""{"data":[{{element}}]}""");
        Rejection future = Rejected(payload, logTimestamp: Now.AddDays(2));
        Assert.Equal((RejectionKind.Schema, "$"), (future.Kind, future.Path));
        Assert.Contains("log timestamp", future.Message, StringComparison.Ordinal);

        // ~20,000 km at 100,000 per km: 2e9, above the 1e9 total.
        Rejection total = Rejected(payload);
        Assert.Equal((RejectionKind.Schema, "$.data[0].price_total"), (total.Kind, total.Path));
    }

    [Fact]
    public void Limits_are_validated_so_that_no_input_overflows()
    {
        RideLimits.Default.Validate();
        Assert.True(double.IsFinite(RideLimits.Default.WorstCaseTotal));
        Assert.Contains("Limits:MaxPricePerKm", Assert.Throws<ArgumentException>(() => new RideLimits { MaxPricePerKm = 1e308, MaxDurationMin = 1e308, MaxPricePerMin = 1e308 }.Validate()).Message
            + Assert.Throws<ArgumentException>(() => new RideLimits { MaxPricePerKm = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RideLimits { MaxPriceTotal = 1e14 }.Validate());
    }

    [Fact]
    public void A_huge_key_gives_a_short_path()
    {
        string key = new('k', 10_000);
        Rejection rejection = Rejected(Encoding.UTF8.GetBytes($$"""{"{{key}}":1,"{{key}}":2}"""));
        Assert.Equal(RejectionKind.Schema, rejection.Kind);
        Assert.True(rejection.Path.Length < 80, rejection.Path);
    }

    [Fact]
    public void Every_accepted_result_is_strict_json_with_finite_numbers()
    {
        string result = Accepted(RawRide.Valid().With("duration_min", "9000").With("price_per_min", "100000").With("price_per_km", "0").Bytes);
        using JsonDocument document = JsonDocument.Parse(result);
        Assert.Equal(900_000_002, document.RootElement.GetProperty("price_total").GetDouble());
    }
}
