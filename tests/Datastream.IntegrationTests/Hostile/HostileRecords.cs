using System.Globalization;
using System.Text;
using System.Text.Json;
using static Datastream.IntegrationTests.Hostile.JsonFragments;
using Kinds = Datastream.IntegrationTests.Hostile.DeadLetterKinds;

namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// The hostile-input corpus for rides_raw (issue 11): every entry changes one thing of a valid ride, or is bytes no
/// producer should send, and says what compute-cost must make of it (SPEC §3.1, §3.2, §3.5). Entries are made
/// here, not read from files, so that the raw bytes (invalid UTF-8, NUL, newlines) are exact and explained.
/// Fragments are written with single quotes for readability: <see cref="JsonFragments.J"/> turns them into JSON's double quotes.
/// </summary>
public sealed class HostileRecords
{
    /// <summary>SPEC §3.1's default size limit of a rides_raw record (ComputeCost:MaxMessageBytes).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The size of the record of control bytes whose dead letter must be truncated.</summary>
    public const int ControlBytesRecordSize = 200_000;

    private static readonly DateTime DefaultTs = new(2025, 10, 30, 16, 9, 47, 123, DateTimeKind.Utc);

    private readonly List<HostileRecord> _records = [];
    private readonly DateTime _nowUtc;
    private int _nextId;

    private HostileRecords(DateTime nowUtc) => this._nowUtc = nowUtc;

    /// <summary>The corpus; timestamps "in the future" are relative to <paramref name="nowUtc"/>.</summary>
    public static IReadOnlyList<HostileRecord> Create(DateTime nowUtc)
    {
        var corpus = new HostileRecords(nowUtc);
        corpus.ValidInStrangeForms();
        corpus.InvalidJson();
        corpus.InvalidEncoding();
        corpus.TooLarge();
        corpus.WrongShapes();
        corpus.ImpossibleTimestamps();
        corpus.OutOfBounds();
        corpus.DuplicateKeys();
        corpus.CourseFormat();
        return corpus._records;
    }

    private void ValidInStrangeForms()
    {
        Accept("valid ride, every field plain", Ride());
        Accept("comfort spelled with an escape (\\u006cow)", Ride() with { Comfort = J(@"'\u006cow'") }, "low");
        Accept("comfort alias in upper case (HIGHT)", Ride() with { Comfort = J("'HIGHT'") }, "high");
        var upper = Ride();
        Accept("ride_id in upper-case hex", upper with { RideId = $"\"{upper.Id.ToString("D").ToUpperInvariant()}\"" });
        var escaped = Ride();
        Accept("ride_id with escaped hyphens", escaped with { RideId = $"\"{escaped.Id.ToString("D").Replace("-", @"\u002d", StringComparison.Ordinal)}\"" });
        Accept("ts with an escaped digit", Ride() with { Ts = J(@"'\u0032025-10-30T16:09:47.123Z'") });
        Accept("ts with offset +14:00", Ride() with { Ts = J("'2025-10-31T06:09:47.123+14:00'") });
        Accept("ts with offset -12:00", Ride() with { Ts = J("'2025-10-30T04:09:47.123-12:00'") });
        Accept("ts on a leap day (2024-02-29)", Ride() with { Ts = J("'2024-02-29T12:00:00Z'") }, ts: new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc));
        Accept("ts in year 0001 (no lower bound by default)", Ride() with { Ts = J("'0001-01-01T00:00:00Z'") }, ts: DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));
        var soon = new DateTime(_nowUtc.Ticks - (_nowUtc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc).AddHours(23);
        Accept("ts 23 h in the future (within 24 h)", Ride() with { Ts = Timestamp(soon) }, ts: soon);
        Accept("coordinates at their bounds: pole to pole, lon +180 and -180",
            Ride() with { OriginLat = "90", OriginLon = "180", DestinationLat = "-90", DestinationLon = "-180" });
        Accept("coordinates -0 and 0.0", Ride() with { OriginLat = "-0", OriginLon = "0", DestinationLat = "0.0", DestinationLon = "-0.0" });
        Accept("numbers in exponent forms (1.5E1, 1e+0, 5e-1)", Ride() with { DurationMin = "1.5E1", PriceBase = "1e+0", PricePerMin = "5e-1" });
        Accept("price_base with 400 decimals (underflows to 0)", Ride() with { PriceBase = "0." + new string('0', 399) + "1" });
        Accept("price_base -0.0", Ride() with { PriceBase = "-0.0" });
        Accept("duration_min at its limit (10080)", Ride() with { DurationMin = "10080" });
        Accept("price_base at its limit (100000)", Ride() with { PriceBase = "100000" });
        Accept("price_per_km at its limit (100000)", Ride() with { PricePerKm = "100000" });
        Accept("price_per_min at its limit (100000)", Ride() with { PricePerMin = "100000" });
        Accept("unknown field holding an escaped lone surrogate", Ride() with { Extra = J(@"'note':'\ud800'") });
        Accept("unknown field holding an escaped surrogate pair", Ride() with { Extra = J(@"'note':'\ud83d\ude95'") });
        Accept("unknown field holding raw 4-byte UTF-8", Ride() with { Extra = J("'note':'taxi 🚕'") });
        Accept("unknown field holding a 400-digit integer", Ride() with { Extra = J("'note':") + new string('9', 400) });
        Accept("unknown field holding 1e400", Ride() with { Extra = J("'note':1e400") });
        Accept("unknown field holding escaped NUL and control characters", Ride() with { Extra = J(@"'note':'\u0000\u001f\b\f\n\r\t'") });
        Accept("unknown field holding a raw DEL byte", Ride() with { Extra = J("'note':'a\u007fb'") });
        Accept("unknown field holding NaN and Infinity as text", Ride() with { Extra = J("'note':['NaN','Infinity','0x1F']") });
        Accept("unknown field nested 50 deep", Ride() with { Extra = J("'note':") + new string('[', 50) + new string(']', 50) });
        Accept("unknown field holding a 60 KB string", Ride() with { Extra = J("'note':'") + new string('x', 60_000) + "\"" });
        Accept("unknown object of 5,000 distinct keys",
            Ride() with { Extra = J("'note':{") + string.Join(',', Enumerable.Range(0, 5000).Select(i => $"\"k{i}\":{i}")) + "}" });
        Accept("unknown property name of 30,000 characters", Ride() with { Extra = "\"" + new string('n', 30_000) + "\":1" });
        Accept("standard ride that also carries a data array", Ride() with { Extra = J("'data':[1,2]") });
        var nil = new RideText { Id = Guid.Empty };
        Accept("nil UUID as ride_id", nil);
        var pretty = Ride();
        Add("pretty-printed over CRLF lines", PrettyPrinted(pretty.Bytes), HostileOutcome.Accepted(pretty.Expected()));
        var padded = Ride();
        Add("leading spaces and trailing newlines", Encoding.UTF8.GetBytes("   " + padded.Json + "\n\r\n"), HostileOutcome.Accepted(padded.Expected()));
        var limit = PaddedTo(Ride(), MaxMessageBytes);
        Accept($"exactly {MaxMessageBytes} bytes (the size limit)", limit);
    }

    private void InvalidJson()
    {
        Reject("BOM before a valid ride", [0xEF, 0xBB, 0xBF, .. Ride().Bytes], Kinds.InvalidJson);
        Reject("NaN literal in duration_min", Ride() with { DurationMin = "NaN" }, Kinds.InvalidJson);
        Reject("Infinity literal in price_base", Ride() with { PriceBase = "Infinity" }, Kinds.InvalidJson);
        Reject("-Infinity literal in origin.lat", Ride() with { OriginLat = "-Infinity" }, Kinds.InvalidJson);
        Reject("hex number (0x1F) in price_per_km", Ride() with { PricePerKm = "0x1F" }, Kinds.InvalidJson);
        Reject("leading zeros (007) in duration_min", Ride() with { DurationMin = "007" }, Kinds.InvalidJson);
        Reject("leading plus (+2) in price_base", Ride() with { PriceBase = "+2" }, Kinds.InvalidJson);
        Reject("bare fraction (.5) in price_per_min", Ride() with { PricePerMin = ".5" }, Kinds.InvalidJson);
        Reject("trailing dot (1.) in price_per_km", Ride() with { PricePerKm = "1." }, Kinds.InvalidJson);
        Reject("exponent without digits (1e) in duration_min", Ride() with { DurationMin = "1e" }, Kinds.InvalidJson);
        Reject("single-quoted strings", Encoding.UTF8.GetBytes(Ride().Json.Replace('"', '\'')), Kinds.InvalidJson);
        var comma = Ride().Json;
        Reject("trailing comma in the object", Encoding.UTF8.GetBytes(comma[..^1] + ",}"), Kinds.InvalidJson);
        Reject("line comment before the object", Encoding.UTF8.GetBytes("// ride\n" + Ride().Json), Kinds.InvalidJson);
        Reject("block comment inside the object", Encoding.UTF8.GetBytes("{/* ride */" + Ride().Json[1..]), Kinds.InvalidJson);
        Reject("unquoted property name", Ride() with { Extra = "note:1" }, Kinds.InvalidJson);
        Reject("unterminated string", Encoding.UTF8.GetBytes($"{{\"ride_id\":\"{Ride().Id}"), Kinds.InvalidJson);
        var half = Ride().Json;
        Reject("cut in half", Encoding.UTF8.GetBytes(half[..(half.Length / 2)]), Kinds.InvalidJson);
        Reject("empty payload", [], Kinds.InvalidJson);
        Reject("whitespace only", Encoding.UTF8.GetBytes(" \r\n\t "), Kinds.InvalidJson);
        Reject("raw NUL inside a string", Ride() with { Extra = J("'note':'a\0b'") }, Kinds.InvalidJson);
        Reject("raw 0x1F inside a string", Ride() with { Extra = J("'note':'a\u001fb'") }, Kinds.InvalidJson);
        Reject("raw line feed inside a string", Ride() with { Extra = J("'note':'line\nbreak'") }, Kinds.InvalidJson);
        Reject("raw NUL between tokens", Encoding.UTF8.GetBytes("{\0" + Ride().Json[1..]), Kinds.InvalidJson);
        Reject("form feed used as whitespace", Encoding.UTF8.GetBytes("{\f" + Ride().Json[1..]), Kinds.InvalidJson);
        Reject("invalid escape \\x41", Ride() with { Extra = J(@"'note':'\x41'") }, Kinds.InvalidJson);
        Reject("short unicode escape \\u12", Ride() with { Extra = J(@"'note':'\u12'") }, Kinds.InvalidJson);
        Reject("upper-case \\U escape", Ride() with { Extra = J(@"'note':'\U0041'") }, Kinds.InvalidJson);
        Reject("trailing data: a second object", Encoding.UTF8.GetBytes(Ride().Json + Ride().Json), Kinds.InvalidJson);
        Reject("trailing data: a word", Encoding.UTF8.GetBytes(Ride().Json + " x"), Kinds.InvalidJson);
        Reject("trailing data: a closing bracket", Encoding.UTF8.GetBytes(Ride().Json + "]"), Kinds.InvalidJson);
        Reject("trailing data: a NUL byte", Encoding.UTF8.GetBytes(Ride().Json + "\0"), Kinds.InvalidJson);
        Reject("trailing data: a comma", Encoding.UTF8.GetBytes(Ride().Json + ","), Kinds.InvalidJson);
        Reject("10,000 '['", Encoding.UTF8.GetBytes(new string('[', 10_000)), Kinds.InvalidJson);
        Reject("10,000 balanced '[' and ']'", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), Kinds.InvalidJson);
        Reject("10,000 nested objects",
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)), Kinds.InvalidJson);
        Reject("unknown field nested 100 deep (over 64)", Ride() with { Extra = J("'note':") + new string('[', 100) + new string(']', 100) }, Kinds.InvalidJson);
        Reject("UTF-16LE without BOM", Encoding.Unicode.GetBytes(Ride().Json), Kinds.InvalidJson);
    }

    private void InvalidEncoding()
    {
        Reject("overlong '/' (C0 AF)", InNote([0xC0, 0xAF]), Kinds.Encoding);
        Reject("overlong 3-byte '/' (E0 80 AF)", InNote([0xE0, 0x80, 0xAF]), Kinds.Encoding);
        Reject("overlong 4-byte '/' (F0 80 80 AF)", InNote([0xF0, 0x80, 0x80, 0xAF]), Kinds.Encoding);
        Reject("UTF-8-encoded high surrogate (ED A0 80)", InNote([0xED, 0xA0, 0x80]), Kinds.Encoding);
        Reject("UTF-8-encoded low surrogate (ED B0 80)", InNote([0xED, 0xB0, 0x80]), Kinds.Encoding);
        Reject("CESU-8 surrogate pair", InNote([0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]), Kinds.Encoding);
        Reject("truncated 3-byte sequence inside a string (E2 82)", InNote([0xE2, 0x82]), Kinds.Encoding);
        Reject("lone continuation byte (80)", InNote([0x80]), Kinds.Encoding);
        Reject("byte FF", InNote([0xFF]), Kinds.Encoding);
        Reject("bytes FE FF", InNote([0xFE, 0xFF]), Kinds.Encoding);
        Reject("code point beyond U+10FFFF (F4 90 80 80)", InNote([0xF4, 0x90, 0x80, 0x80]), Kinds.Encoding);
        Reject("5-byte form (F8 88 80 80 80)", InNote([0xF8, 0x88, 0x80, 0x80, 0x80]), Kinds.Encoding);
        Reject("payload ending in a truncated sequence", [.. Ride().Bytes[..^1], 0xE2, 0x82], Kinds.Encoding);
        Reject("invalid byte in a property name", Splice(Ride() with { Extra = J("'no@@te':1") }, [0xFF]), Kinds.Encoding);
        Reject("invalid byte at the end of comfort", Splice(Ride() with { Comfort = J("'low@@'") }, [0xC3]), Kinds.Encoding);
        Reject("UTF-16LE with BOM", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Ride().Json)], Kinds.Encoding);
        Reject("the whole record {\"\\udc00\":0}", Encoding.UTF8.GetBytes(J(@"{'\udc00':0}")), Kinds.Encoding);
        Reject("escaped lone low surrogate as a root property name", Ride() with { Extra = J(@"'\udc00':0") }, Kinds.Encoding);
        Reject("escaped lone surrogate in ride_id", Ride() with { RideId = J(@"'\ud800'") }, Kinds.Encoding);
        Reject("escaped lone surrogate in ts", Ride() with { Ts = J(@"'2025-10-30T16:09:47Z\ud800'") }, Kinds.Encoding);
        Reject("escaped lone surrogate in comfort", Ride() with { Comfort = J(@"'\udc00'") }, Kinds.Encoding);
        Reject("high surrogate followed by a non-surrogate escape in comfort", Ride() with { Comfort = J(@"'\ud800\u0041'") }, Kinds.Encoding);
        Reject("reversed surrogate pair in an unknown property name", Ride() with { Extra = J(@"'\udc00\ud800':1") }, Kinds.Encoding);
        Reject("lone surrogate as an unknown key inside origin", Ride() with { Origin = J(@"{'lat':40.7,'lon':-73.9,'\ud800':1}") }, Kinds.Encoding);
        Reject("lone surrogate as a key nested in an unknown object", Ride() with { Extra = J(@"'meta':{'\udfff':true}") }, Kinds.Encoding);
    }

    private void TooLarge()
    {
        Reject($"{MaxMessageBytes + 1} bytes (one over the limit)", PaddedTo(Ride(), MaxMessageBytes + 1), Kinds.TooLarge);
        Add("200 KB of control bytes", ControlBytes(), HostileOutcome.DeadLetter(Kinds.TooLarge, "$", truncated: true));
    }

    private void WrongShapes()
    {
        Reject("top level: empty array", Encoding.UTF8.GetBytes("[]"), Kinds.Schema, "$");
        Reject("top level: array of a valid ride", Encoding.UTF8.GetBytes("[" + Ride().Json + "]"), Kinds.Schema, "$");
        Reject("top level: string", Encoding.UTF8.GetBytes("\"ride\""), Kinds.Schema, "$");
        Reject("top level: number", Encoding.UTF8.GetBytes("42"), Kinds.Schema, "$");
        Reject("top level: true", Encoding.UTF8.GetBytes("true"), Kinds.Schema, "$");
        Reject("top level: null", Encoding.UTF8.GetBytes("null"), Kinds.Schema, "$");
        Reject("empty object", Encoding.UTF8.GetBytes("{}"), Kinds.Schema, "$.ride_id");
        Reject("ride_id missing", Ride() with { OmitRideId = true }, Kinds.Schema, "$.ride_id");
        Reject("origin missing", Ride() with { OmitOrigin = true }, Kinds.Schema, "$.origin");
        Reject("destination.lon missing", Ride() with { Destination = J("{'lat':40.6}") }, Kinds.Schema, "$.destination.lon");
        Reject("ride_id a number", Ride() with { RideId = "123" }, Kinds.Schema, "$.ride_id");
        Reject("ride_id null", Ride() with { RideId = "null" }, Kinds.Schema, "$.ride_id");
        Reject("ride_id not a UUID", Ride() with { RideId = J("'abc'") }, Kinds.Schema, "$.ride_id");
        var braced = Ride();
        Reject("ride_id braced", braced with { RideId = $"\"{{{braced.Id}}}\"" }, Kinds.Schema, "$.ride_id");
        var bare = Ride();
        Reject("ride_id as 32 hex digits", bare with { RideId = $"\"{bare.Id:N}\"" }, Kinds.Schema, "$.ride_id");
        Reject("ride_id of 60,000 characters", Ride() with { RideId = "\"" + new string('a', 60_000) + "\"" }, Kinds.Schema, "$.ride_id");
        Reject("ts a number", Ride() with { Ts = "1761840587" }, Kinds.Schema, "$.ts");
        Reject("ts of 60,000 characters", Ride() with { Ts = "\"2025" + new string('9', 60_000) + "\"" }, Kinds.Schema, "$.ts");
        Reject("origin a string", Ride() with { Origin = J("'40.7,-73.9'") }, Kinds.Schema, "$.origin");
        Reject("destination an array", Ride() with { Destination = "[40.6,-73.7]" }, Kinds.Schema, "$.destination");
        Reject("origin.lat a string", Ride() with { OriginLat = J("'40.7'") }, Kinds.Schema, "$.origin.lat");
        Reject("origin.lat the string NaN", Ride() with { OriginLat = J("'NaN'") }, Kinds.Schema, "$.origin.lat");
        Reject("origin.lon true", Ride() with { OriginLon = "true" }, Kinds.Schema, "$.origin.lon");
        Reject("destination.lat null", Ride() with { DestinationLat = "null" }, Kinds.Schema, "$.destination.lat");
        Reject("destination.lon an object", Ride() with { DestinationLon = "{}" }, Kinds.Schema, "$.destination.lon");
        Reject("comfort a number", Ride() with { Comfort = "1" }, Kinds.Schema, "$.comfort");
        Reject("comfort not a comfort (luxury)", Ride() with { Comfort = J("'luxury'") }, Kinds.Schema, "$.comfort");
        Reject("comfort with a leading space", Ride() with { Comfort = J("' low'") }, Kinds.Schema, "$.comfort");
        Reject("comfort an escaped surrogate pair", Ride() with { Comfort = J(@"'\ud83d\ude95'") }, Kinds.Schema, "$.comfort");
        Reject("comfort with an escaped NUL", Ride() with { Comfort = J(@"'low\u0000'") }, Kinds.Schema, "$.comfort");
        Reject("comfort of 60,000 characters", Ride() with { Comfort = "\"" + new string('l', 60_000) + "\"" }, Kinds.Schema, "$.comfort");
        Reject("duration_min a string", Ride() with { DurationMin = J("'10'") }, Kinds.Schema, "$.duration_min");
        Reject("price_base an object", Ride() with { PriceBase = "{}" }, Kinds.Schema, "$.price_base");
        Reject("price_per_km an array", Ride() with { PricePerKm = "[1.1]" }, Kinds.Schema, "$.price_per_km");
        Reject("price_per_min false", Ride() with { PricePerMin = "false" }, Kinds.Schema, "$.price_per_min");
    }

    private void ImpossibleTimestamps()
    {
        Reject("ts without offset", Ride() with { Ts = J("'2025-10-30T16:09:47'") }, Kinds.Schema, "$.ts");
        Reject("ts a date only", Ride() with { Ts = J("'2025-10-30'") }, Kinds.Schema, "$.ts");
        Reject("ts on February 30", Ride() with { Ts = J("'2025-02-30T10:00:00Z'") }, Kinds.Schema, "$.ts");
        Reject("ts on February 29 of a common year", Ride() with { Ts = J("'2025-02-29T10:00:00Z'") }, Kinds.Schema, "$.ts");
        Reject("ts at hour 24", Ride() with { Ts = J("'2025-10-30T24:00:00Z'") }, Kinds.Schema, "$.ts");
        Reject("ts at minute 60", Ride() with { Ts = J("'2025-10-30T16:60:00Z'") }, Kinds.Schema, "$.ts");
        Reject("ts in month 13", Ride() with { Ts = J("'2025-13-01T16:00:00Z'") }, Kinds.Schema, "$.ts");
        Reject("ts on a leap second (23:59:60)", Ride() with { Ts = J("'2016-12-31T23:59:60Z'") }, Kinds.Schema, "$.ts");
        Reject("ts with offset +25:00", Ride() with { Ts = J("'2025-10-30T16:09:47+25:00'") }, Kinds.Schema, "$.ts");
        Reject("ts in year 9999", Ride() with { Ts = J("'9999-12-31T23:59:59Z'") }, Kinds.Schema, "$.ts");
        Reject("ts 25 h in the future", Ride() with { Ts = Timestamp(_nowUtc.AddHours(25)) }, Kinds.Schema, "$.ts");
        Reject("ts before year 1 in UTC (0001-01-01T00:30+01:00)", Ride() with { Ts = J("'0001-01-01T00:30:00+01:00'") }, Kinds.Schema, "$.ts");
        Reject("ts after year 9999 in UTC (9999-12-31T23:30-01:00)", Ride() with { Ts = J("'9999-12-31T23:30:00-01:00'") }, Kinds.Schema, "$.ts");
    }

    private void OutOfBounds()
    {
        Reject("origin.lat just above 90", Ride() with { OriginLat = "90.000001" }, Kinds.Schema, "$.origin.lat");
        Reject("destination.lat just below -90", Ride() with { DestinationLat = "-90.000001" }, Kinds.Schema, "$.destination.lat");
        Reject("origin.lon just above 180", Ride() with { OriginLon = "180.000001" }, Kinds.Schema, "$.origin.lon");
        Reject("destination.lon just below -180", Ride() with { DestinationLon = "-180.000001" }, Kinds.Schema, "$.destination.lon");
        Reject("origin.lat 1e400", Ride() with { OriginLat = "1e400" }, Kinds.Schema, "$.origin.lat");
        Reject("duration_min 1e200 × price_per_min 1e200", Ride() with { DurationMin = "1e200", PricePerMin = "1e200" }, Kinds.Schema, "$.duration_min");
        Reject("price_per_km 1e308", Ride() with { PricePerKm = "1e308" }, Kinds.Schema, "$.price_per_km");
        Reject("price_base the largest double", Ride() with { PriceBase = "1.7976931348623157e308" }, Kinds.Schema, "$.price_base");
        Reject("duration_min a 400-digit integer", Ride() with { DurationMin = new string('9', 400) }, Kinds.Schema, "$.duration_min");
        Reject("price_per_min 1e400", Ride() with { PricePerMin = "1e400" }, Kinds.Schema, "$.price_per_min");
        Reject("price_per_min negative (-1e-300)", Ride() with { PricePerMin = "-1e-300" }, Kinds.Schema, "$.price_per_min");
        Reject("duration_min just over its limit", Ride() with { DurationMin = "10080.001" }, Kinds.Schema, "$.duration_min");
        Reject("price_base just over its limit", Ride() with { PriceBase = "100000.01" }, Kinds.Schema, "$.price_base");
        Reject("price_per_km just over its limit", Ride() with { PricePerKm = "100000.001" }, Kinds.Schema, "$.price_per_km");
        Reject("price_per_min just over its limit", Ride() with { PricePerMin = "100000.5" }, Kinds.Schema, "$.price_per_min");
        Reject("price_total over 1e9 from inputs within their limits", Ride() with { DurationMin = "10080", PricePerMin = "99999.99" }, Kinds.Schema, "$.price_total");
    }

    private void DuplicateKeys()
    {
        var twice = Ride();
        Reject("ride_id twice", twice with { Extra = $"\"ride_id\":\"{twice.Id}\"" }, Kinds.Schema);
        var escaped = Ride();
        Reject("ride_id and ride\\u005fid", escaped with { Extra = $"\"ride\\u005fid\":\"{escaped.Id}\"" }, Kinds.Schema);
        Reject("comfort and \\u0063omfort", Ride() with { Extra = J(@"'\u0063omfort':'low'") }, Kinds.Schema);
        Reject("origin lat and l\\u0061t", Ride() with { Origin = J(@"{'lat':40.7,'lon':-73.9,'l\u0061t':41}") }, Kinds.Schema);
        Reject("unknown key twice", Ride() with { Extra = J("'note':1,'note':2") }, Kinds.Schema);
        Reject("unknown key and its escaped spelling", Ride() with { Extra = J(@"'note':1,'n\u006fte':2") }, Kinds.Schema);
        Reject("duplicate key inside an unknown object", Ride() with { Extra = J("'meta':{'a':1,'a':2}") }, Kinds.Schema);
    }

    private void CourseFormat()
    {
        var first = Course("A1");
        var second = Course("A2") with { Confort = J("'premium'"), PrixBasePerKm = "1.25", ClientLat = "45.764", ClientLon = "4.8357" };
        Add("course: valid record of two rides", Text(CourseRideText.Record(first, second)), HostileOutcome.Accepted(first.Expected(), second.Expected("high")));
        var phone = Course("B1") with { ClientPhone = "33612345678" };
        Add("course: phone as a number", Text(CourseRideText.Record(phone)), HostileOutcome.Accepted(phone.Expected()));
        // Unlike a standard record's unknown fields, a course element is read whole (its canonical bytes name the ride).
        Reject("course: unknown field holding an escaped lone surrogate",
            Text(CourseRideText.Record(Course("C1") with { Extra = J(@"'remark':'\udc00'") })), Kinds.Encoding, "$.data[0]");
        Reject("course: empty data", Text("{\"data\":[]}"), Kinds.Schema, "$.data");
        Reject("course: data an object", Text("{\"data\":{\"confort\":\"low\"}}"), Kinds.Schema, "$.data");
        Reject("course: data a string", Text("{\"data\":\"rides\"}"), Kinds.Schema, "$.data");
        Reject("course: element a number", Text("{\"data\":[7]}"), Kinds.Schema, "$.data[0]");
        Reject("course: element without properties-driver", Text(CourseRideText.Record(Course("D1") with { OmitDriver = true })), Kinds.Schema, "$.data[0].properties-driver");
        Reject("course: element without confort", Text(CourseRideText.Record(Course("D2") with { Confort = null })), Kinds.Schema, "$.data[0].confort");
        Reject("course: confort a number", Text(CourseRideText.Record(Course("D3") with { Confort = "2" })), Kinds.Schema, "$.data[0].confort");
        Reject("course: confort an escaped lone surrogate", Text(CourseRideText.Record(Course("E1") with { Confort = J(@"'\udc00'") })), Kinds.Encoding);
        Reject("course: nomclient an escaped lone surrogate", Text(CourseRideText.Record(Course("E2") with { ClientName = J(@"'\ud800'") })), Kinds.Encoding);
        Reject("course: telephoneClient an escaped lone surrogate", Text(CourseRideText.Record(Course("E3") with { ClientPhone = J(@"'06\udbff'") })), Kinds.Encoding);
        Reject("course: prix_base_per_km 1e300", Text(CourseRideText.Record(Course("F1") with { PrixBasePerKm = "1e300" })), Kinds.Schema, "$.data[0].prix_base_per_km");
        Reject("course: prix_base_per_km 1e400", Text(CourseRideText.Record(Course("F2") with { PrixBasePerKm = "1e400" })), Kinds.Schema, "$.data[0].prix_base_per_km");
        Reject("course: client logitude 180.5", Text(CourseRideText.Record(Course("F3") with { ClientLon = "180.5" })), Kinds.Schema, "$.data[0].properties-client.logitude");
        Reject("course: telephoneClient an object", Text(CourseRideText.Record(Course("F4") with { ClientPhone = "{}" })), Kinds.Schema, "$.data[0].properties-client.telephoneClient");
        Reject("course: price_total over 1e9 (pole to pole at 100000 per km)",
            Text(CourseRideText.Record(Course("F5") with { PrixBasePerKm = "100000", ClientLat = "-90", DriverLat = "90" })), Kinds.Schema, "$.data[0].price_total");
        Reject("course: second element invalid, so neither is published",
            Text(CourseRideText.Record(Course("G1"), Course("G2") with { Confort = J("'luxury'") })), Kinds.Schema, "$.data[1].confort");
        Reject("course: confort twice in an element", Text(CourseRideText.Record(Course("G3") with { Extra = J("'confort':'eco'") })), Kinds.Schema);
    }

    private RideText Ride() => new() { Id = Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"c0c0c0c0-0000-4000-8000-{++_nextId:x12}")) };

    private static CourseRideText Course(string client) => new() { Client = $"hostile-client-{client}" };

    private void Add(string name, byte[] bytes, HostileOutcome outcome) => _records.Add(new HostileRecord(name, bytes, outcome));

    private void Accept(string name, RideText ride, string comfort = "medium", DateTime? ts = null) =>
        Add(name, ride.Bytes, HostileOutcome.Accepted(ride.Expected(comfort, ts ?? DefaultTs)));

    private void Reject(string name, RideText ride, string kind, string? path = null) => Add(name, ride.Bytes, HostileOutcome.DeadLetter(kind, path));

    private void Reject(string name, byte[] bytes, string kind, string? path = null) => Add(name, bytes, HostileOutcome.DeadLetter(kind, path));

    private static byte[] Text(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>A valid ride whose unknown field "note" holds <paramref name="raw"/> bytes, unchanged.</summary>
    private byte[] InNote(byte[] raw) => Splice(Ride() with { Extra = J("'note':'a@@b'") }, raw);

    /// <summary>The ride with an unknown field padded so that the record is exactly <paramref name="size"/> bytes.</summary>
    private static RideText PaddedTo(RideText ride, int size)
    {
        int empty = (ride with { Extra = J("'pad':''") }).Bytes.Length;
        return ride with { Extra = J("'pad':'") + new string('p', size - empty) + "\"" };
    }

    /// <summary>The ride re-written indented, with CRLF line ends: the same JSON values, over many lines.</summary>
    private static byte[] PrettyPrinted(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\r\n" }))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Bytes 0x00-0x1F over and over: valid UTF-8, but each is escaped as \u00XX in a dead letter (6× its size).</summary>
    private static byte[] ControlBytes()
    {
        var bytes = new byte[ControlBytesRecordSize];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i % 32);
        }

        return bytes;
    }
}
