using Datastream.Cli;

namespace Datastream.Tests;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData("00:01:30", 90)]
    [InlineData("2", 2)]
    public void Parses(string text, double seconds) => Assert.Equal(seconds, DurationParser.Parse(text, "--duration").TotalSeconds, 6);

    [Theory]
    [InlineData("soon")]
    [InlineData("5x")]
    [InlineData("0s")]
    [InlineData("")]
    [InlineData("m")]
    public void Rejects_NamingTheOption(string text)
    {
        var error = Assert.Throws<UsageException>(() => DurationParser.Parse(text, "--duration"));
        Assert.Contains("--duration", error.Message);
    }
}
