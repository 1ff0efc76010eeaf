using System.Text;

namespace Datastream.Core.Fuzzing;

/// <summary>The byte sequences the mutations splice into records: each is a known way to break a JSON reader or a pricing rule.</summary>
internal static class HostileTokens
{
    /// <summary>Complete JSON values (or near-values) to put where a value stands, after a ':'.</summary>
    public static readonly byte[][] Values =
    [
        .. Ascii(
            "\"\\ud800\"", "\"\\udc00\"", "\"x\\ud800\"", "\"\\ud800\\u0041\"", "\"\\udbff\\udbff\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"",
            "NaN", "-NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1E+400", "1e308", "-1e308", "1.7976931348623157e308",
            "4.9e-324", "1e-400", new string('1', 400), "-" + new string('9', 400), "0." + new string('0', 400) + "1",
            "0x10", "-0", "-0.0", "01", "00", "1.", ".5", "+1", "1e", "1e+", "--1", "0e0",
            "100000", "100000.0000001", "10080", "10080.000001", "20015.087", "20015.088", "1000000000", "1000000000.01",
            "90", "90.0000001", "-90.0000001", "180", "-180.0000001", "1e5", "99999.99",
            "\"\"", "null", "true", "false", "[]", "{}", "[1]", "{\"lat\":1}", "\"low\"", "\"HIGHT\"", "\"lo\\u0077\"",
            "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00+01:00\"", "\"9999-12-31T23:59:59-01:00\"",
            "\"2025-02-30T10:00:00Z\"", "\"2025-13-01T00:00:00Z\"", "\"2025-10-30T24:00:00Z\"", "\"2025-10-30T16:09:60Z\"",
            "\"2025-10-30T16:09:47\"", "\"2025-10-30T16:09:47+99:00\"", "\"2025-10-30T16:09:47+14:00\"", "\"2026-01-16T12:00:00Z\"",
            "\"2026-01-16T12:00:01Z\"", "\"2025-10-30T16:09:47.Z\"", "\"2025-10-30T16:09:47+14:30\"", "\"2025-10-30T16:09:47.12345678Z\"", "\"2025-10-30\"", "\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\"", "\"1B4E28BA2FA14D3BA3F5EF19B5A7633B\"",
            "\"{1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b}\"", "\"" + new string('a', 70) + "\"", "\"" + new string('a', 200_000) + "\"",
            new string('[', 63) + new string(']', 63), new string('[', 64) + new string(']', 64), new string('[', 65) + new string(']', 65),
            new string('[', 2000) + new string(']', 2000), string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70)),
        [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],
        [(byte)'"', 0xC0, 0xAF, (byte)'"'],
        [(byte)'"', 0xFF, (byte)'"'],
        [(byte)'"', 0x01, (byte)'"'],
        [(byte)'"', 0x00, (byte)'"'],
        [(byte)'"', 0xC3, (byte)'"'],
        [(byte)'1', 0x00],
    ];

    /// <summary>Members to put right after a '{': duplicates through escapes, format switches, surrogate keys.</summary>
    public static readonly byte[][] Members = Ascii(
        "\"ride\\u005fid\":\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\",", "\"\\u0074s\":\"2025-10-30T16:09:47Z\",", "\"ts\":\"2025-10-30T16:09:47Z\",",
        "\"comfort\":\"low\",", "\"c\\u006fmfort\":\"high\",", "\"price_base\":1,", "\"pric\\u0065_base\":1e400,", "\"lat\":1,", "\"l\\u0061t\":2,",
        "\"lon\":1,", "\"data\":[],", "\"data\":{},", "\"data\":[{}],", "\"data\":null,", "\"\\u0064ata\":[1],",
        "\"\\ud800\":0,", "\"\\udc00\":0,", "\"a\\ud800\":0,", "\"\\u0000\":1,", "\"\":1,",
        "\"confort\":\"\\udc00\",", "\"confort\":\"eco\",", "\"prix_base_per_km\":1e308,", "\"latitude\":91,", "\"logitude\":-181,",
        "\"nomclient\":\"\\ud800\",", "\"nomDriver\":\"\\udc00x\",", "\"telephoneClient\":\"\\ud800\",", "\"telephoneDriver\":1e400,",
        "\"properties-client\":null,", "\"properties-driver\":{},", "\"distance_km\":20015.088,", "\"price_total\":-1,",
        "\"client\":{\"name\":\"\\ud800\"},", "\"origin\":{\"lat\":1,\"lat\":2},", "\"x\":" + new string('[', 70) + new string(']', 70) + ",");

    /// <summary>Bytes that break a document wherever they land: invalid UTF-8, BOM, control bytes, stray escapes and punctuation.</summary>
    public static readonly byte[][] Anywhere =
    [
        [0xED, 0xA0, 0x80], [0xED, 0xB0, 0x80], [0xED, 0xBF, 0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF], [0xFE], [0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        [0xEF, 0xBB, 0xBF], [0x00], [0x01], [0x0B], [0x1F], [0x7F], [0x0C],
        .. Ascii("\\ud800", "\\udc00", "\\u", "\\x41", "\\", "\"", "//", "/*x*/", ",", ",,", "]", "}", "{", "[", ":", "NaN", "1e400", "\u00e9", "\\u0000"),
    ];

    private static byte[][] Ascii(params string[] tokens) => tokens.Select(Encoding.UTF8.GetBytes).ToArray();
}
