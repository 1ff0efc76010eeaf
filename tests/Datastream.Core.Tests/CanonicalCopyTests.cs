using System.Globalization;
using System.Text;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>
/// The result writer copies input text that is already in its output form and formats everything else: either
/// way the text must be what formatting the parsed value gives (shortest round-trip, lower-case UUID, UTC ms).
/// </summary>
public sealed class CanonicalCopyTests
{
    [Theory]
    [InlineData("40.7484")]
    [InlineData("-73.9857")]
    [InlineData("0")]
    [InlineData("-0.5")]
    [InlineData("0.0001")]
    [InlineData("10")]
    [InlineData("12.345678")]
    public void Canonical_coordinates_are_written_as_sent(string number)
    {
        string json = Result(RawRide.Valid().With("origin", $$"""{"lat":{{number}},"lon":{{number}}}"""));
        Assert.Contains($"\"origin\":{{\"lat\":{number},\"lon\":{number}}}", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("38.5")]
    [InlineData("0")]
    [InlineData("123456789012345")]
    [InlineData("0.000123456789012")]
    [InlineData("99999999999999.9")]
    public void Canonical_amounts_are_written_as_sent(string number)
    {
        string json = Result(RawRide.Valid().With("duration_min", number).With("price_per_min", number));
        Assert.Contains($"\"duration_min\":{number},", json, StringComparison.Ordinal);
        Assert.Contains($"\"price_per_min\":{number},", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.0", "2")]
    [InlineData("1e2", "100")]
    [InlineData("1E2", "100")]
    [InlineData("0.10", "0.1")]
    [InlineData("-0", "-0")]
    [InlineData("-0.0", "-0")]
    [InlineData("0.0", "0")]
    [InlineData("1.0e1", "10")]
    [InlineData("0.00001", "1E-05")]
    [InlineData("0.000010", "1E-05")]
    [InlineData("1234567890123456", "1234567890123456")]
    [InlineData("0.30000000000000004", "0.30000000000000004")]
    [InlineData("1e-300", "1E-300")]
    public void Other_amounts_are_normalized_as_the_formatter_does(string number, string expected)
    {
        Assert.Equal(expected, double.Parse(number, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        string json = Result(RawRide.Valid().With("price_base", number).With("price_per_km", number));
        Assert.Contains($"\"price_base\":{expected},", json, StringComparison.Ordinal);
        Assert.Contains($"\"price_per_km\":{expected},", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90.0", "90")]
    [InlineData("-0", "-0")]
    [InlineData("1e1", "10")]
    [InlineData("0.00001", "1E-05")]
    [InlineData("40.74840", "40.7484")]
    [InlineData("-073.9857", null)]
    public void Other_coordinates_are_normalized_as_the_formatter_does(string number, string? expected)
    {
        if (expected is null)
        {
            // A leading zero is not even JSON: rejected before any writing.
            Assert.Equal(RejectionKind.InvalidJson, Transform.Rejected(RawRide.Valid().With("destination", $$"""{"lat":1,"lon":{{number}}}""").Json).Kind);
            return;
        }

        string json = Result(RawRide.Valid().With("destination", $$"""{"lat":{{number}},"lon":{{number}}}"""));
        Assert.Contains($"\"destination\":{{\"lat\":{expected},\"lon\":{expected}}}", json, StringComparison.Ordinal);
    }

    /// <summary>What makes copying safe: canonical text is exactly the framework's shortest round-trip text.</summary>
    [Fact]
    public void Canonical_text_is_what_formatting_the_value_gives()
    {
        var random = new Random(20251030);
        int canonicalCount = 0;
        for (int i = 0; i < 300_000; i++)
        {
            string text = RandomNumberText(random);
            Assert.True(PlainDecimal.TryParse(Encoding.ASCII.GetBytes(text), out double value, out bool canonical), text);
            string formatted = value.ToString(CultureInfo.InvariantCulture);
            if (canonical)
            {
                canonicalCount++;
                Assert.Equal(formatted, text);
            }
            else
            {
                // Anything the writer would not write itself is formatted, so it must not be flagged.
                Assert.True(formatted != text || text == "-0", $"{text} is written as is but was not flagged canonical");
            }
        }

        Assert.True(canonicalCount > 100_000, $"only {canonicalCount} canonical texts");
    }

    [Theory]
    [InlineData("2025-10-30T16:09:47.123Z", "2025-10-30T16:09:47.123Z")]
    [InlineData("2025-10-30T16:09:47.120Z", "2025-10-30T16:09:47.120Z")]
    [InlineData("2025-10-30T16:09:47.12Z", "2025-10-30T16:09:47.120Z")]
    [InlineData("2025-10-30T16:09:47.1239Z", "2025-10-30T16:09:47.123Z")]
    [InlineData("2025-10-30T16:09:47.123+00:00", "2025-10-30T16:09:47.123Z")]
    [InlineData("2025-10-30T16:09:47.12\\u0033Z", "2025-10-30T16:09:47.123Z")]
    public void Ts_is_copied_only_in_the_output_form(string ts, string expected)
        => Assert.Contains($"\"ts\":\"{expected}\"", Result(RawRide.Valid().With("ts", $"\"{ts}\"")), StringComparison.Ordinal);

    [Theory]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b")]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633B")]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633\\u0062")]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633\\u0042")]
    public void Ride_id_is_written_lower_case_whatever_its_spelling(string rideId)
        => Assert.Contains("\"ride_id\":\"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\"", Result(RawRide.Valid().With("ride_id", $"\"{rideId}\"")), StringComparison.Ordinal);

    [Theory]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633g")]
    [InlineData("1b4e28ba-2fa1-4d3b-a3f5_ef19b5a7633b")]
    [InlineData("1b4e28ba2fa14d3ba3f5ef19b5a7633b")]
    public void Lower_case_ride_id_is_still_validated(string rideId)
        => Transform.AssertSchema(RawRide.Valid().With("ride_id", $"\"{rideId}\"").Json, "$.ride_id", "must be a UUID");

    [Fact]
    public void Invalid_utf8_inside_a_string_the_reader_skips_is_an_encoding_error()
    {
        // The JSON reader does not check UTF-8 inside strings it never unescapes: an unknown field's value.
        byte[] valid = RawRide.Valid().With("note", "\"ab\"").Bytes;
        int at = Encoding.ASCII.GetString(valid).IndexOf("ab", StringComparison.Ordinal);
        byte[] bad = [.. valid[..at], 0xC3, 0x28, .. valid[(at + 2)..]];
        Assert.Equal(RejectionKind.Encoding, Transform.Rejected(bad).Kind);
    }

    [Fact]
    public void Copied_and_formatted_values_give_the_same_document()
    {
        string canonical = Result(RawRide.Valid().With("price_base", "2"));
        string formatted = Result(RawRide.Valid().With("price_base", "2.00").With("ride_id", "\"1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B\"")
            .With("ts", "\"2025-10-30T18:09:47.123+02:00\"").With("origin", """{"lat":40.74840,"lon":-7.39857e1}"""));
        Assert.Equal(canonical, formatted);
    }

    // These tests are about how numbers are written, so the plausibility limits are lifted out of their way.
    private static readonly ComputeCostOptions NoLimits = new()
    {
        Limits = new RideLimits
        {
            MaxDurationMin = double.MaxValue,
            MaxPriceBase = double.MaxValue,
            MaxPricePerKm = double.MaxValue,
            MaxPricePerMin = double.MaxValue,
            MaxPriceTotal = double.MaxValue,
        },
    };

    private static string Result(RawRide ride)
    {
        var results = new RideResultBuffer();
        Assert.True(new ComputeCostTravel(NoLimits).TryTransform(ride.Bytes, Transform.LogTimestamp, results, out Rejection rejection), "rejected: " + rejection);
        return Encoding.UTF8.GetString(results.Value(0));
    }

    /// <summary>Plain decimals of at most 15 digits, canonical or not: leading and trailing zeros, -0, tiny and large magnitudes.</summary>
    private static string RandomNumberText(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(4) == 0)
        {
            text.Append('-');
        }

        int integerDigits = random.Next(0, 16);
        int fractionDigits = random.Next(0, 16 - integerDigits);
        if (integerDigits == 0)
        {
            text.Append('0');
        }
        else
        {
            text.Append((char)('1' + random.Next(9)));
            for (int i = 1; i < integerDigits; i++)
            {
                text.Append((char)('0' + random.Next(10)));
            }
        }

        if (fractionDigits > 0)
        {
            text.Append('.');
            int zeros = random.Next(0, fractionDigits + 1);
            for (int i = 0; i < fractionDigits; i++)
            {
                // Runs of zeros make tiny magnitudes (0.00001) and trailing zeros (1.50).
                text.Append(i < zeros && random.Next(2) == 0 ? '0' : (char)('0' + random.Next(10)));
            }
        }

        return text.ToString();
    }
}
