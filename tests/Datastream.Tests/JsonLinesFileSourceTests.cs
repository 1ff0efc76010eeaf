using System.Text;
using Datastream.Cli;

namespace Datastream.Tests;

public sealed class JsonLinesFileSourceTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ds-lines-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData("a\nb\nc", new[] { "a", "b", "c" })]
    [InlineData("a\nb\nc\n", new[] { "a", "b", "c" })]
    [InlineData("a\r\nb\r\n", new[] { "a\r", "b\r" })]
    [InlineData("a\n\nb\n", new[] { "a", "", "b" })]
    [InlineData("", new string[0])]
    public void Lines_AreSentUnchanged(string content, string[] expected)
    {
        File.WriteAllText(_path, content);
        Assert.Equal(expected, ReadAll());
    }

    [Fact]
    public void LongLines_AcrossBufferBoundaries_AreWhole()
    {
        var lines = Enumerable.Range(0, 40).Select(i => new string((char)('a' + i % 26), 100_000 + i * 7919)).ToArray();
        File.WriteAllText(_path, string.Join('\n', lines) + "\n");
        Assert.Equal(lines, ReadAll());
    }

    private List<string> ReadAll()
    {
        using var source = new JsonLinesFileSource(_path);
        var result = new List<string>();
        while (source.TryNext(DateTime.UtcNow, out var value))
        {
            result.Add(Encoding.UTF8.GetString(value.Span));
        }

        return result;
    }
}
