using System.Text;
using System.Text.Json;

namespace Datastream.IntegrationTests;

/// <summary>The Step 1 acceptance path through the real CLI: produce → pipeline compute-cost --until-idle → topics tail.</summary>
public sealed class ComputeCostEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task FromFile_EveryValidLineGivesOneCorrectResult_EveryInvalidLineOneEnvelope()
    {
        using var dir = new TemporaryDirectory();
        var file = MixedFile.Create(validCount: 300, seed: 11);
        file.WriteTo(dir.File("rides.jsonl"));

        await Ok(dir, "produce", "--from-file", dir.File("rides.jsonl"));
        await Ok(dir, "pipeline", "compute-cost", "--until-idle");
        string results = await Ok(dir, "topics", "tail", "rides_result", "--from-beginning");
        string dlq = await Ok(dir, "topics", "tail", "rides_dlq", "--from-beginning");

        file.AssertOutputs(results, dlq);
    }

    [Fact]
    public async Task Generated_WithInvalidRatio_ResultPlusDlqEqualsProduced_AndEveryDeadLetterHasAKind()
    {
        using var dir = new TemporaryDirectory();
        await Ok(dir, "produce", "--count", "4000", "--invalid-ratio", "0.2", "--seed", "5");
        await Ok(dir, "pipeline", "compute-cost", "--until-idle");
        string results = await Ok(dir, "topics", "tail", "rides_result", "--from-beginning");
        string dlq = await Ok(dir, "topics", "tail", "rides_dlq", "--from-beginning");

        var resultLines = results.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var dlqLines = dlq.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4000, resultLines.Length + dlqLines.Length);
        Assert.InRange(dlqLines.Length, 600, 1000);
        var kinds = dlqLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("error").GetProperty("kind").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "invalid_json", "encoding", "too_large", "schema" }, kinds);
    }

    [Fact]
    public async Task Run_Json_SummaryAccountsForEveryRide()
    {
        using var dir = new TemporaryDirectory();
        string stdout = await Ok(dir, "run", "--count", "3000", "--rate", "0", "--invalid-ratio", "0.05", "--no-web", "--json", "--seed", "3");
        using var doc = JsonDocument.Parse(stdout);
        var s = doc.RootElement;
        Assert.Equal(3000, s.GetProperty("produced").GetInt64());
        Assert.Equal(3000, s.GetProperty("raw").GetInt64());
        Assert.Equal(3000, s.GetProperty("result").GetInt64() + s.GetProperty("dlq").GetInt64());
        Assert.True(s.GetProperty("dlq").GetInt64() > 0);
        Assert.True(s.GetProperty("rides_per_second").GetDouble() > 0);
        Assert.True(s.GetProperty("latency_ms").GetProperty("p99").GetDouble() >= s.GetProperty("latency_ms").GetProperty("p50").GetDouble());
    }

    [Fact]
    public async Task ProducerAndPipeline_AsSeparateProcesses_PipelineStopsGracefullyOnSigterm()
    {
        using var dir = new TemporaryDirectory();
        await Ok(dir, "topics", "create");
        using var pipeline = DatastreamProcess.Start(dir.Path, ["pipeline", "compute-cost"]);
        await Ok(dir, "produce", "--count", "20000", "--rate", "20000", "--seed", "9");

        long accounted = 0;
        for (int attempt = 0; attempt < 600 && accounted < 20000; attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            accounted = await Records(dir, "rides_result") + await Records(dir, "rides_dlq");
        }

        Assert.Equal(20000, accounted);
        pipeline.Terminate();
        Assert.Equal(0, await pipeline.WaitAsync(Timeout));
        Assert.Contains("consumed", pipeline.Stderr);
    }

    private static async Task<long> Records(TemporaryDirectory dir, string topic)
    {
        string json = await Ok(dir, "topics", "describe", topic, "--json");
        return JsonDocument.Parse(json).RootElement.GetProperty("records").GetInt64();
    }

    internal static async Task<string> Ok(TemporaryDirectory dir, params string[] args)
    {
        var (code, stdout, stderr) = await DatastreamProcess.RunAsync(dir.Path, args, Timeout);
        Assert.True(code == 0, $"datastream {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
