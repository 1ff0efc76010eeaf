using System.Text.Json;

namespace Datastream.IntegrationTests;

/// <summary>`stats --check` (the design's smoke test) and `topics replay` through the CLI.</summary>
public sealed class StatsAndReplayTests
{
    [Fact]
    public async Task StatsCheck_FailsWhileRawIsNotDrained_PassesOnceEveryRecordIsAccountedFor()
    {
        using var dir = new TemporaryDirectory();
        await ComputeCostEndToEndTests.Ok(dir, "produce", "--count", "500", "--invalid-ratio", "0.1", "--seed", "4");

        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["stats", "--check"]);
        Assert.Equal(1, code);
        Assert.Contains("500 records not yet consumed", stderr);

        await ComputeCostEndToEndTests.Ok(dir, "pipeline", "compute-cost", "--until-idle");
        string json = await ComputeCostEndToEndTests.Ok(dir, "stats", "--check", "--json");
        using var doc = JsonDocument.Parse(json);
        Assert.True(doc.RootElement.GetProperty("check").GetProperty("ok").GetBoolean());
        var topics = doc.RootElement.GetProperty("topics").EnumerateArray().ToDictionary(t => t.GetProperty("topic").GetString()!, t => t.GetProperty("records").GetInt64());
        Assert.Equal(500, topics["rides_raw"]);
        Assert.Equal(500, topics["rides_result"] + topics["rides_dlq"]);
        Assert.Equal(topics["rides_dlq"], doc.RootElement.GetProperty("dlq").GetInt64());
    }

    [Fact]
    public async Task Replay_SendsTheChosenKindBack_Once()
    {
        using var dir = new TemporaryDirectory();
        var file = MixedFile.Create(validCount: 200, seed: 3);
        file.WriteTo(dir.File("rides.jsonl"));
        await ComputeCostEndToEndTests.Ok(dir, "produce", "--from-file", dir.File("rides.jsonl"));
        await ComputeCostEndToEndTests.Ok(dir, "pipeline", "compute-cost", "--until-idle");
        int schemaErrors = file.InvalidKindByLine.Values.Count(k => k == "schema");

        string first = await ComputeCostEndToEndTests.Ok(dir, "topics", "replay", "rides_dlq", "--to", "rides_raw", "--kind", "schema");
        string second = await ComputeCostEndToEndTests.Ok(dir, "topics", "replay", "rides_dlq", "--to", "rides_raw", "--kind", "schema");

        Assert.Contains($"replayed {schemaErrors} dead letters", first);
        Assert.Contains("replayed 0 dead letters", second);
        string raw = await ComputeCostEndToEndTests.Ok(dir, "topics", "tail", "rides_raw", "--from-beginning");
        var rawLines = raw.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(file.Lines.Count + schemaErrors, rawLines.Length);
        var replayed = rawLines.Skip(file.Lines.Count).ToHashSet();
        var expected = file.InvalidKindByLine.Where(k => k.Value == "schema").Select(k => System.Text.Encoding.UTF8.GetString(file.Lines[k.Key])).ToHashSet();
        Assert.Equal(expected, replayed);
    }

    [Fact]
    public async Task Replay_UnknownKind_IsAUsageError()
    {
        using var dir = new TemporaryDirectory();
        await ComputeCostEndToEndTests.Ok(dir, "topics", "create");
        var (code, _, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["topics", "replay", "rides_dlq", "--to", "rides_raw", "--kind", "bogus"]);
        Assert.Equal(2, code);
        Assert.Contains("bogus", stderr);
    }
}
