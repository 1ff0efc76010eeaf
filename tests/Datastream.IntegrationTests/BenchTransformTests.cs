using System.Text.Json;

namespace Datastream.IntegrationTests;

/// <summary>
/// `datastream bench transform` as a user runs it: what it counts and the shape of its report. Correctness only: the
/// figures it measures are never compared with a speed.
/// </summary>
public sealed class BenchTransformTests
{
    [Fact]
    public async Task Transform_CountsEveryLine_AndReportsTheBestAndTheMedianOfItsPasses()
    {
        using var dir = new TemporaryDirectory();
        var file = MixedFile.Create(validCount: 200, seed: 14);
        file.WriteTo(dir.File("rides.jsonl"));

        var (code, stdout, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["bench", "transform", "--input", dir.File("rides.jsonl"), "--passes", "4"]);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var report = JsonDocument.Parse(stdout);
        var r = report.RootElement;
        Assert.Equal(file.Lines.Count, r.GetProperty("records").GetInt32());
        Assert.Equal(file.Valid.Count, r.GetProperty("valid").GetInt32());
        Assert.Equal(file.InvalidKindByLine.Count, r.GetProperty("invalid").GetInt32());
        Assert.Equal(4, r.GetProperty("passes").GetInt32());
        Assert.Equal(file.Lines.Sum(l => (long)l.Length), r.GetProperty("bytes").GetInt64());
        double best = r.GetProperty("seconds").GetDouble(), median = r.GetProperty("median_seconds").GetDouble();
        double bestRate = r.GetProperty("records_per_second").GetDouble(), medianRate = r.GetProperty("median_records_per_second").GetDouble();
        // Rounding keeps order, so the best pass is never slower than the median one, whatever the file's size.
        Assert.True(best >= 0 && median >= best, $"best pass {best} s, median {median} s");
        Assert.True(medianRate > 0 && bestRate >= medianRate, $"best {bestRate} records/s, median {medianRate}");
    }

    [Fact]
    public async Task Transform_WithNoPasses_IsAUsageError()
    {
        using var dir = new TemporaryDirectory();
        MixedFile.Create(validCount: 10, seed: 14).WriteTo(dir.File("rides.jsonl"));

        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["bench", "transform", "--input", dir.File("rides.jsonl"), "--passes", "0"]);

        Assert.Equal(2, code);
        Assert.Contains("--passes", stderr, StringComparison.Ordinal);
    }
}
