using System.Globalization;
using System.Text;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

/// <summary>The number shortcuts must agree with the framework on every input they accept.</summary>
public sealed class PlainDecimalTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("40.7484")]
    [InlineData("-73.9857")]
    [InlineData("0.1")]
    [InlineData("0.000123456789012")]
    [InlineData("123456789012345")]
    [InlineData("999999999999999.9")]
    [InlineData("1e5")]
    [InlineData("2.5E-3")]
    [InlineData("0.30000000000000004")]
    public void Parse_agrees_with_the_framework(string text)
    {
        if (PlainDecimal.TryParse(Encoding.ASCII.GetBytes(text), out double value))
        {
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
            Assert.Equal(double.IsNegative(double.Parse(text, CultureInfo.InvariantCulture)), double.IsNegative(value));
        }
        else
        {
            Assert.True(text.Contains('e', StringComparison.OrdinalIgnoreCase) || text.Count(char.IsAsciiDigit) > 15);
        }
    }

    [Fact]
    public void Parse_agrees_with_the_framework_on_random_decimals()
    {
        var random = new Random(42);
        for (int i = 0; i < 200_000; i++)
        {
            int decimals = random.Next(0, 16);
            double raw = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 12));
            string text = Math.Round(raw, Math.Min(decimals, 15)).ToString("F" + decimals, CultureInfo.InvariantCulture);
            if (PlainDecimal.TryParse(Encoding.ASCII.GetBytes(text), out double value))
            {
                Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
            }
        }
    }

    [Fact]
    public void Format_agrees_with_the_framework_on_random_values()
    {
        var random = new Random(7);
        Span<byte> buffer = stackalloc byte[32];
        int fast = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double value = (i % 3) switch
            {
                0 => Math.Round((random.NextDouble() - 0.5) * 360, random.Next(0, 8)),
                1 => Math.Round(random.NextDouble() * 5000, random.Next(0, 4), MidpointRounding.AwayFromZero),
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 18)),
            };
            if (PlainDecimal.TryFormat(value, buffer, out int written))
            {
                fast++;
                Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer[..written]));
            }
        }

        Assert.True(fast > 100_000, $"the fast path took only {fast} values");
    }

    [Theory]
    [InlineData(0.0005)]
    [InlineData(0.0001)]
    [InlineData(-0.5)]
    [InlineData(944.494)]
    [InlineData(1888.99)]
    [InlineData(100)]
    [InlineData(0.1 + 0.2)]
    [InlineData(123456789012345.0)]
    public void Format_agrees_with_the_framework(double value)
    {
        Span<byte> buffer = stackalloc byte[32];
        if (PlainDecimal.TryFormat(value, buffer, out int written))
        {
            Assert.Equal(value.ToString(CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer[..written]));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e15)]
    [InlineData(1e-6)]
    [InlineData(1e-5)]
    [InlineData(0.00009)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Format_leaves_exotic_values_to_the_framework(double value)
        => Assert.False(PlainDecimal.TryFormat(value, stackalloc byte[32], out _));

    [Fact]
    public void Format_leaves_negative_zero_to_the_framework()
        => Assert.False(PlainDecimal.TryFormat(-0.0, stackalloc byte[32], out _));
}
