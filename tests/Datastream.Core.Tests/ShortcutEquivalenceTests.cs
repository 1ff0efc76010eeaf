using System.Text;
using System.Text.Unicode;
using CsCheck;
using Datastream.Core.Dlq;
using Datastream.Core.Fuzzing;
using Datastream.Core.Generation;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>
/// The shortcuts of compute-cost and TransformJSON (issue 14) must never accept what the full parsers refuse, nor
/// read a value differently: whatever the fuzz mix or a hand-picked edge case, a shortcut's acceptance equals the
/// full parser's, field for field. Both sides must also be reached often, or the comparison proves little.
/// </summary>
public sealed class ShortcutEquivalenceTests
{
    private const ulong Seed = 20261201;
    private const int Inputs = 20_000;

    private static readonly DateTime Now = FuzzClock.Now;

    // Edits that keep a record valid, or make it invalid, in the ways the shortcut must leave to the full parser.
    private static readonly (string Find, string Replace)[] Edits =
    [
        (":", " : "), (",", " ,\n"), ("{", "{ "), ("}", "}\t"), ("\"lat\"", "\"l\\u0061t\""), ("\"lat\":", "\"lat\":0,\"lat\":"),
        ("\"comfort\"", "\"x\":1,\"comfort\""), ("\"ts\"", "\"x\":{\"a\":1,\"a\":2},\"ts\""), ("\"ts\"", "\"y\":[1,{}],\"ts\""),
        ("\"ts\"", "\"n\":null,\"t\":true,\"f\":false,\"s\":\"s\",\"ts\""), ("\"ts\"", "\"y\":1,\"y\":2,\"ts\""), (".", ".0"),
        ("Z\"", "+00:00\""), ("Z\"", "-04:00\""), ("Z\"", "\""), ("Z\"", "z\""), ("T", "t"), (":4", ":04"), (":4", ":4e0"), (":4", ":4E+0"),
        (":4", ":-4"), ("a", "A"), ("e", "E"), ("\"comfort\":\"", "\"comfort\":\"\\u0068"), ("}", "}x"), ("}", ",}"), ("2", "2."), ("3", "-"),
        (":1", ":-0"), (":2", ":-0.0"), ("\"price_base\":", "\"price_base\":1e2,\"q\":"), ("\"duration_min\":", "\"duration_min\":99999,\"q\":"),
        ("\"lon\":", "\"lon\":1,\"alt\":"), ("\"origin\":{", "\"origin\":{\"alt\":1,"), ("\"ts\"", "\"data\":[],\"ts\""),
        ("\"ts\"", "\"distance_km\":1,\"distance_km\":2,\"ts\""), ("\"ts\":\"20", "\"ts\":\"21"), ("\"ts\":\"20", "\"ts\":\"00"),
        ("\"comfort\":\"", "\"comfort\":\"Hight"), ("\"}", "\"} "), (":\"", ":\"\t"), ("\"", "\"\u0001"), ("0.", "00."),
        ("\"client\":{", "\"client\":{\"x\":[[[]]],"), ("\"price_total\":", "\"price_total\":-1,\"q\":"),
    ];

    // What producers send (the generator's records, some invalid), and what compute-cost writes from them.
    private static readonly byte[][] Records = ProducerRecords();
    private static readonly byte[][] Results = ResultsOf(Records);

    private static readonly Gen<byte[]> RawMix = Mix(Records);
    private static readonly Gen<byte[]> ResultMix = Gen.Frequency((4, Mix(Results)), (1, FuzzInputs.RideResult));

    [Fact]
    public void The_raw_record_shortcut_accepts_only_what_the_full_parser_accepts_with_the_same_fields()
    {
        var parser = new RideRecordParser(RideLimits.Default);
        var pcg = new PCG(14, Seed);
        int taken = 0, left = 0;
        for (int i = 0; i < Inputs; i++)
        {
            byte[] input = RawMix.Generate(pcg, null, out _);
            if (!Utf8.IsValid(input))
            {
                continue;
            }

            bool shortcut = RideRecordShortcut.TryRead(input, RideLimits.Default, Now, out RideFields fast);
            RideRecordParser.Outcome outcome = parser.Parse(input, Now, out RideFields full, out Rejection rejection);
            if (shortcut)
            {
                taken++;
                Assert.True(outcome == RideRecordParser.Outcome.Ride, $"shortcut accepted, full parser said {outcome} {rejection}: {Show(input)}");
                AssertSameFields(full, fast, input);
            }
            else if (outcome == RideRecordParser.Outcome.Ride)
            {
                left++;
            }
        }

        Assert.True(taken >= Inputs / 20, $"the shortcut took only {taken} inputs");
        Assert.True(left >= Inputs / 100, $"only {left} valid inputs needed the full parser: the mix lacks rare spellings");
    }

    [Fact]
    public void The_result_shortcut_accepts_only_what_the_full_reading_accepts_with_the_same_ride()
    {
        var pcg = new PCG(14, Seed);
        int taken = 0, left = 0;
        for (int i = 0; i < Inputs; i++)
        {
            byte[] input = ResultMix.Generate(pcg, null, out _);
            if (!Utf8.IsValid(input))
            {
                continue;
            }

            bool shortcut = RideResultShortcut.TryRead(input, RideLimits.Default, Now, out FlatRide fast);
            bool accepted = TransformJson.TryFlattenFully(input, Now, RideLimits.Default, out FlatRide full, out Rejection rejection);
            if (shortcut)
            {
                taken++;
                Assert.True(accepted, $"shortcut accepted, full reading refused {rejection}: {Show(input)}");
                AssertSame(full, fast, input);
            }
            else if (accepted)
            {
                left++;
            }
        }

        Assert.True(taken >= Inputs / 20, $"the shortcut took only {taken} inputs");
        Assert.True(left >= Inputs / 100, $"only {left} valid inputs needed the full reading: the mix lacks rare spellings");
    }

    private const string Raw = """{"ride_id":"4900cd1c-274a-4798-a53d-de415878ee18","ts":"2026-01-15T11:27:56.303Z","origin":{"lat":40.729124,"lon":-73.003336},"destination":{"lat":40.784503,"lon":-73.850977},"comfort":"comfort","duration_min":30.2,"price_base":2,"price_per_km":1.1,"price_per_min":0.3}""";

    [Theory]
    [InlineData(Raw)]
    [InlineData(" {\"ride_id\":\"4900CD1C-274A-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56+02:00\",\"origin\" : {\"lon\":-73.003336,\"lat\":40.729124},\"destination\":{\"lat\":-0,\"lon\":180},\"comfort\":\"HIGHT\",\"duration_min\":-0.0,\"price_base\":0,\"price_per_km\":1.10,\"price_per_min\":0.3,\"x\":null,\"y\":true,\"distance_km\":\"no\"}\n  ")]
    public void Hand_picked_records_the_shortcut_takes_read_as_the_full_parser_reads_them(string json)
    {
        byte[] input = Encoding.UTF8.GetBytes(json);
        Assert.True(RideRecordShortcut.TryRead(input, RideLimits.Default, Now, out RideFields fast));
        Assert.Equal(RideRecordParser.Outcome.Ride, new RideRecordParser(RideLimits.Default).Parse(input, Now, out RideFields full, out _));
        AssertSameFields(full, fast, input);
    }

    [Theory]
    [InlineData(Raw + "x")]
    [InlineData(Raw + ",")]
    [InlineData("[" + Raw + "]")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3 ")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3,}")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336,},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3}")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":030.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3}")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3}")]
    [InlineData("{\"x\":1,\"x\":2,\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3}")]
    [InlineData("{\"x\":{\"a\":1,\"a\":2},\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3}")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3}")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":-2,\"price_per_km\":1.1,\"price_per_min\":0.3}")]
    [InlineData("{\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\",\"ts\":\"2026-01-15T11:27:56.303Z\",\"origin\":{\"lat\":40.729124,\"lon\":-73.003336},\"destination\":{\"lat\":40.784503,\"lon\":-73.850977},\"comfort\":\"comfort\",\"duration_min\":30.2,\"price_base\":2,\"price_per_km\":1.1,\"price_per_min\":0.3,\"ride_id\":\"4900cd1c-274a-4798-a53d-de415878ee18\"}")]
    public void The_shortcut_leaves_what_the_full_parser_refuses_to_it(string json)
    {
        byte[] input = Encoding.UTF8.GetBytes(json);
        Assert.False(RideRecordShortcut.TryRead(input, RideLimits.Default, Now, out _));
        Assert.Equal(RideRecordParser.Outcome.Rejected, new RideRecordParser(RideLimits.Default).Parse(input, Now, out _, out _));
        Assert.False(RideResultShortcut.TryRead(input, RideLimits.Default, Now, out _));
    }

    private static Gen<byte[]> Mix(byte[][] pool)
    {
        Gen<byte[]> whole = Gen.Int[0, pool.Length - 1].Select(i => pool[i]);
        Gen<byte[]> edited = Gen.Select(whole, Gen.Int[0, Edits.Length - 1], Gen.Int[0, 1000], (record, edit, at) => Edit(record, Edits[edit], at));
        Gen<byte[]> twice = Gen.Select(edited, Gen.Int[0, Edits.Length - 1], Gen.Int[0, 1000], (record, edit, at) => Edit(record, Edits[edit], at));
        return Gen.Frequency((2, whole), (4, edited), (1, twice), (2, ByteMutator.Mutations(whole)));
    }

    /// <summary>Applies <paramref name="edit"/> at one of its occurrences (the <paramref name="pick"/>-th, modulo their count).</summary>
    private static byte[] Edit(byte[] record, (string Find, string Replace) edit, int pick)
    {
        string text = Encoding.UTF8.GetString(record);
        var at = new List<int>();
        for (int i = text.IndexOf(edit.Find, StringComparison.Ordinal); i >= 0; i = text.IndexOf(edit.Find, i + 1, StringComparison.Ordinal))
        {
            at.Add(i);
        }

        if (at.Count == 0)
        {
            return record;
        }

        int where = at[pick % at.Count];
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, where), edit.Replace, text.AsSpan(where + edit.Find.Length)));
    }

    private static byte[][] ProducerRecords()
    {
        var random = new Random(14);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { InvalidRatio = 0.1, MaxMessageBytes = 4096 });
        return [.. Enumerable.Range(0, 400).Select(i => generator.Next(Now.AddMinutes(-i), out _).ToArray())];
    }

    private static byte[][] ResultsOf(byte[][] records)
    {
        var travel = new ComputeCostTravel();
        var results = new RideResultBuffer();
        foreach (byte[] record in records)
        {
            travel.TryTransform(record, Now, Now, results, out _);
        }

        // A course record's parties too, so that stepping over unknown objects is compared.
        string course = """{"data":[{"confort":"standard","prix_base_per_km":2,"properties-client":{"logitude":2.3522,"latitude":48.8566,"nomclient":"FALL","telephoneClient":"060786575"},"properties-driver":{"logitude":3.7038,"latitude":40.4168,"nomDriver":"DIOP","telephoneDriver":"0760786575"}}]}""";
        Assert.True(travel.TryTransform(Encoding.UTF8.GetBytes(course), Now, Now, results, out Rejection rejection), rejection.ToString());
        return [.. Enumerable.Range(0, results.Count).Select(i => results.Value(i).ToArray())];
    }

    private static void AssertSameFields(RideFields expected, RideFields actual, byte[] input)
    {
        // Bits, not ==: -0 and 0 write differently.
        Assert.True(expected.RideId == actual.RideId && expected.TsUtc == actual.TsUtc && expected.TsUtc.Kind == actual.TsUtc.Kind
            && expected.Comfort == actual.Comfort
            && SameBits(expected.Origin.Lat, actual.Origin.Lat) && SameBits(expected.Origin.Lon, actual.Origin.Lon)
            && SameBits(expected.Destination.Lat, actual.Destination.Lat) && SameBits(expected.Destination.Lon, actual.Destination.Lon)
            && SameBits(expected.DurationMin, actual.DurationMin) && SameBits(expected.PriceBase, actual.PriceBase)
            && SameBits(expected.PricePerKm, actual.PricePerKm) && SameBits(expected.PricePerMin, actual.PricePerMin)
            && expected.RideIdText == actual.RideIdText && expected.TsText == actual.TsText
            && expected.OriginLatText == actual.OriginLatText && expected.OriginLonText == actual.OriginLonText
            && expected.DestinationLatText == actual.DestinationLatText && expected.DestinationLonText == actual.DestinationLonText
            && expected.DurationMinText == actual.DurationMinText && expected.PriceBaseText == actual.PriceBaseText
            && expected.PricePerKmText == actual.PricePerKmText && expected.PricePerMinText == actual.PricePerMinText,
            "the shortcut read other fields than the full parser from " + Show(input));
    }

    private static void AssertSame(FlatRide expected, FlatRide actual, byte[] input)
    {
        Assert.True(expected.RideId == actual.RideId && expected.TsUtc == actual.TsUtc && expected.TsUtc.Kind == actual.TsUtc.Kind
            && expected.Comfort == actual.Comfort && expected.AgentTimestampUtc == actual.AgentTimestampUtc
            && SameBits(expected.OriginLat, actual.OriginLat) && SameBits(expected.OriginLon, actual.OriginLon)
            && SameBits(expected.DestinationLat, actual.DestinationLat) && SameBits(expected.DestinationLon, actual.DestinationLon)
            && SameBits(expected.DurationMin, actual.DurationMin) && SameBits(expected.PriceBase, actual.PriceBase)
            && SameBits(expected.PricePerKm, actual.PricePerKm) && SameBits(expected.PricePerMin, actual.PricePerMin)
            && SameBits(expected.DistanceKm, actual.DistanceKm) && SameBits(expected.PriceTotal, actual.PriceTotal),
            $"the shortcut read {actual} where the full reading read {expected} from {Show(input)}");
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private static string Show(byte[] input) => Encoding.UTF8.GetString(input);
}
