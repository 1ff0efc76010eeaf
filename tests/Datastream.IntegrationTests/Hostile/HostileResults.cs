using System.Globalization;
using System.Text;
using static Datastream.IntegrationTests.Hostile.JsonFragments;
using Kinds = Datastream.IntegrationTests.Hostile.DeadLetterKinds;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// Hostile records shaped like rides_result documents (SPEC §3.4), for index-and-export's TransformJSON when bad
/// records are put straight into rides_result (issue 11 item 6): each changes one thing of a valid result.
/// Accepted means indexed. Fragments use single quotes (see <see cref="JsonFragments.J"/>).
/// </summary>
public sealed class HostileResults
{
    private readonly List<HostileRecord> _records = [];
    private readonly DateTime _nowUtc;
    private int _nextId;

    private HostileResults(DateTime nowUtc) => this._nowUtc = nowUtc;

    public static IReadOnlyList<HostileRecord> Create(DateTime nowUtc)
    {
        var corpus = new HostileResults(nowUtc);
        corpus.Build();
        return corpus._records;
    }

    private void Build()
    {
        Indexed("result: valid", Result());
        Indexed("result: distance_km at its bound (20015.087, pole to pole)",
            Result(r => r with { OriginLat = "90", OriginLon = "0", DestinationLat = "-90", DestinationLon = "0" }));
        Indexed("result: lon at -180 and 180", Result(r => r with { OriginLon = "-180", DestinationLon = "180" }));
        Indexed("result: ts in year 0001", Result(r => r with { Ts = J("'0001-01-01T00:00:00.000Z'") }), DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));
        Indexed("result: client name an escaped lone surrogate (not read)", Result(extra: J(@"'client':{'name':'\ud800'}")));
        Indexed("result: price_total at its limit (1e9)", Computed("20015.087", "1000000000"));
        Rejected("result: distance_km just over its bound", Computed("20015.088", "10"), Kinds.Schema, "$.distance_km");
        Rejected("result: distance_km negative", Computed("-0.001", "10"), Kinds.Schema, "$.distance_km");
        Rejected("result: price_total just over its limit", Computed("10", "1000000000.01"), Kinds.Schema, "$.price_total");
        Rejected("result: price_total 1e308", Computed("10", "1e308"), Kinds.Schema, "$.price_total");
        Rejected("result: price_total negative", Computed("10", "-0.01"), Kinds.Schema, "$.price_total");
        Rejected("result: price_total 1e400", Computed("10", "1e400"), Kinds.Schema, "$.price_total");
        Rejected("result: price_total NaN", Computed("10", "NaN"), Kinds.InvalidJson);
        Rejected("result: price_total the string Infinity", Computed("10", J("'Infinity'")), Kinds.Schema, "$.price_total");
        Rejected("result: price_total missing", Result(r => r with { Extra = J("'distance_km':10") }, asResult: false), Kinds.Schema, "$.price_total");
        Rejected("result: origin.lat just over 90", Result(r => r with { OriginLat = "90.5" }), Kinds.Schema, "$.origin.lat");
        Rejected("result: destination.lon just under -180", Result(r => r with { DestinationLon = "-180.5" }), Kinds.Schema, "$.destination.lon");
        Rejected("result: duration_min over its limit", Result(r => r with { DurationMin = "10081" }), Kinds.Schema, "$.duration_min");
        Rejected("result: price_per_km over its limit", Result(r => r with { PricePerKm = "100001" }), Kinds.Schema, "$.price_per_km");
        Rejected("result: price_base negative", Result(r => r with { PriceBase = "-1" }), Kinds.Schema, "$.price_base");
        Rejected("result: comfort not canonical (luxury)", Result(r => r with { Comfort = J("'luxury'") }, asResult: false, extra: J("'distance_km':10,'price_total':10")), Kinds.Schema, "$.comfort");
        Rejected("result: ts 25 h after processing", Result(r => r with { Ts = Timestamp(_nowUtc.AddHours(25)) }), Kinds.Schema, "$.ts");
        Rejected("result: ride_id and ride\\u005fid", Result(extra: J(@"'ride\u005fid':'c0c0c0c0-0000-4000-8000-000000000000'")), Kinds.Schema);
        Rejected("result: lat twice in origin", Result(r => r with { Origin = J("{'lat':40.7,'lon':-73.9,'lat':41}") }), Kinds.Schema);
        Rejected("result: trailing data", [.. Result().Bytes, .. " {}"u8], Kinds.InvalidJson);
        Rejected("result: BOM first", [0xEF, 0xBB, 0xBF, .. Result().Bytes], Kinds.InvalidJson);
        Rejected("result: invalid UTF-8 in the client name", Splice(Result(extra: J("'client':{'name':'@@'}")), [0xC0, 0xAF]), Kinds.Encoding);
        Rejected("result: ride_id an escaped lone surrogate", Result(r => r with { RideId = J(@"'\udc00'") }), Kinds.Encoding);
        Rejected("result: a lone surrogate as a property name", Result(extra: J(@"'\ud800':1")), Kinds.Encoding);
        Rejected("result: top-level array", [.. "["u8, .. Result().Bytes, .. "]"u8], Kinds.Schema, "$");
        Rejected("result: unknown field nested 100 deep", Result(extra: J("'client':") + new string('[', 100) + new string(']', 100)), Kinds.InvalidJson);
    }

    /// <summary>A valid result of a fresh ride, changed by <paramref name="change"/> before (asResult) its distance and price are added.</summary>
    private RideText Result(Func<RideText, RideText>? change = null, bool asResult = true, string extra = "")
    {
        var ride = new RideText { Id = Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"7e5a17c0-0000-4000-8000-{++_nextId:x12}")) };
        ride = change?.Invoke(ride) ?? ride;
        ride = asResult ? ride.AsResult() : ride;
        return extra.Length == 0 ? ride : ride with { Extra = ride.Extra.Length == 0 ? extra : ride.Extra + "," + extra };
    }

    /// <summary>A result whose distance_km and price_total are the given JSON texts.</summary>
    private RideText Computed(string distanceKm, string priceTotal) =>
        Result(asResult: false) with { Extra = $"\"distance_km\":{distanceKm},\"price_total\":{priceTotal}" };

    private void Indexed(string name, RideText result, DateTime? tsUtc = null) =>
        _records.Add(new HostileRecord(name, result.Bytes, HostileOutcome.Accepted(result.Expected(tsUtc: tsUtc))));

    private void Rejected(string name, RideText result, string kind, string? path = null) => Rejected(name, result.Bytes, kind, path);

    private void Rejected(string name, byte[] bytes, string kind, string? path = null) =>
        _records.Add(new HostileRecord(name, bytes, HostileOutcome.DeadLetter(kind, path)));

}
