using System.Globalization;
using System.Text;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>The ts shortcut must read exactly what the framework reads, and refuse what it cannot vouch for.</summary>
public sealed class OffsetTimestampTests
{
    [Theory]
    [InlineData("2025-10-30T16:09:47.123Z")]
    [InlineData("2025-10-30T16:09:47Z")]
    [InlineData("2025-10-30T16:09:47.1234567Z")]
    [InlineData("2025-10-30T16:09:47.1+02:00")]
    [InlineData("2025-10-30T01:09:47.5-14:00")]
    [InlineData("2024-02-29T23:59:59.999+00:30")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void Accepted_forms_match_the_framework(string text)
    {
        Assert.True(OffsetTimestamp.TryParseUtc(Encoding.ASCII.GetBytes(text), out DateTime utc));
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
        Assert.Equal(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcDateTime, utc);
    }

    [Theory]
    [InlineData("2025-10-30T16:09:47")]
    [InlineData("2025-10-30T16:09:47.123")]
    [InlineData("2025-02-29T16:09:47Z")]
    [InlineData("2025-10-30T24:00:00Z")]
    [InlineData("2025-10-30T16:60:00Z")]
    [InlineData("2025-10-30T16:09:47.12345678Z")]
    [InlineData("2025-10-30T16:09:47.Z")]
    [InlineData("2025-10-30T16:09:47+0200")]
    [InlineData("2025-10-30T16:09:47+15:00")]
    [InlineData("2025-10-30T16:09:47+14:30")]
    [InlineData("2025-10-30T16:09:47-14:08")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2025-10-30 16:09:47Z")]
    public void Other_forms_are_left_to_the_framework(string text)
        => Assert.False(OffsetTimestamp.TryParseUtc(Encoding.ASCII.GetBytes(text), out _));
}
