namespace Datastream.IntegrationTests;

/// <summary>User errors exit 2 with one line naming what is wrong, never a stack trace (SPEC §5).</summary>
public sealed class CliErrorTests
{
    [Theory]
    [InlineData("unknown topic", "'nope'", "topics", "tail", "nope", "--from-beginning")]
    [InlineData("unknown topic", "'nope'", "topics", "describe", "nope")]
    [InlineData("missing file", "missing.jsonl", "produce", "--from-file", "missing.jsonl")]
    [InlineData("missing reference", "nowhere.csv", "produce", "--count", "1", "--reference", "nowhere.csv")]
    [InlineData("bad number", "abc", "produce", "--count", "abc")]
    [InlineData("unknown option", "--bogus", "run", "--bogus")]
    [InlineData("count and duration", "--duration", "run", "--count", "5", "--duration", "3s")]
    [InlineData("bad duration", "soon", "produce", "--duration", "soon")]
    [InlineData("bad ratio", "--invalid-ratio", "produce", "--count", "1", "--invalid-ratio", "2")]
    [InlineData("missing bench input", "none.jsonl", "bench", "transform", "--input", "none.jsonl")]
    public async Task UserError_ExitsTwoWithOneLine(string because, string named, params string[] args)
    {
        using var dir = new TemporaryDirectory();
        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, args);
        Assert.True(code == 2, $"{because}: exit {code}, stderr: {stderr}");
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(named, lines[0]);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task UnknownEngine_IsAConfigurationError()
    {
        using var dir = new TemporaryDirectory();
        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["topics", "list"], environment: new Dictionary<string, string> { ["DATASTREAM_LOG"] = "carrier-pigeon" });
        Assert.Equal(2, code);
        Assert.Contains("carrier-pigeon", stderr);
    }
}
