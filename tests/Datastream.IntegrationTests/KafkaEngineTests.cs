using System.Text.Json;
using Datastream.Kafka.Testing;

namespace Datastream.IntegrationTests;

/// <summary>
/// The Step 1 checks with DATASTREAM_LOG=kafka against librdkafka's mock cluster (the only Kafka peer on this
/// machine; it lives in this test process and the CLI processes connect to it as to a real cluster).
/// </summary>
public sealed class KafkaEngineTests : IClassFixture<MockKafkaCluster>
{
    private readonly MockKafkaCluster _cluster;

    public KafkaEngineTests(MockKafkaCluster cluster) => this._cluster = cluster;

    [Fact]
    public async Task FromFile_PipelineUntilIdle_Tail_GiveTheSameCorrectOutputAsEmbedded()
    {
        using var dir = new TemporaryDirectory();
        var environment = KafkaEnvironment("fromfile");
        var file = MixedFile.Create(validCount: 300, seed: 11);
        file.WriteTo(dir.File("rides.jsonl"));

        await Ok(dir, environment, "produce", "--from-file", dir.File("rides.jsonl"));
        await Ok(dir, environment, "pipeline", "compute-cost", "--until-idle");
        string results = await Ok(dir, environment, "topics", "tail", environment["RESULT_TOPIC"], "--from-beginning");
        string dlq = await Ok(dir, environment, "topics", "tail", environment["DLQ_TOPIC"], "--from-beginning");

        file.AssertOutputs(results, dlq);
        string list = await Ok(dir, environment, "topics", "list");
        Assert.Contains(environment["RAW_TOPIC"], list);

        // DAG#2 on Kafka: rides_result is written in transactions (markers take offsets), and must still drain.
        await Ok(dir, environment, "pipeline", "index-and-export", "--until-idle");
        await IndexAndExportEndToEndTests.AssertEachRideOnceAsync(dir, file.Valid.Count);
    }

    [Fact]
    public async Task TwoPipelineProcesses_SplitSixPartitions_OneIsKilled_TheOtherTakesOver_NoRideLost()
    {
        using var dir = new TemporaryDirectory();
        var environment = KafkaEnvironment("scaleout");
        using var first = DatastreamProcess.Start(dir.Path, ["pipeline", "compute-cost"], environment);
        using var second = DatastreamProcess.Start(dir.Path, ["pipeline", "compute-cost"], environment);

        var (a, b) = await WaitForAsync(() => (OwnedPartitions(first), OwnedPartitions(second)), s => s.Item1.Count > 0 && s.Item2.Count > 0 && s.Item1.Count + s.Item2.Count == 6);
        Assert.Empty(a.Intersect(b));

        await Ok(dir, environment, "produce", "--count", "3000", "--seed", "21");
        await WaitForAsync(() => ResultIdsAsync(dir, environment).Result.Count, n => n > 0);
        first.Kill();
        await Ok(dir, environment, "produce", "--count", "3000", "--seed", "22");

        var owned = await WaitForAsync(() => OwnedPartitions(second), p => p.Count == 6);
        Assert.Equal(6, owned.Count);
        string raw = await Ok(dir, environment, "topics", "tail", environment["RAW_TOPIC"], "--from-beginning");
        var rawIds = raw.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ride_id").GetString()!).ToHashSet();
        Assert.Equal(6000, rawIds.Count);
        // The mock does not store offsets sent in transactions, so the survivor restarts the dead member's
        // partitions from the beginning: duplicates are expected here, losses never.
        var results = await WaitForAsync(() => ResultIdsAsync(dir, environment).Result, ids => rawIds.IsSubsetOf(ids));
        Assert.Subset(results, rawIds);

        second.Terminate();
        Assert.Equal(0, await second.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    /// <summary>The partitions a pipeline process last said it owns ("owns partitions [t[0],t[3]]" in its log).</summary>
    private static HashSet<string> OwnedPartitions(DatastreamProcess process)
    {
        const string marker = "owns partitions [";
        string? line = process.Stderr.Split('\n').LastOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
        if (line is null)
        {
            return [];
        }

        string list = line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..line.LastIndexOf(']')];
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    private static async Task<HashSet<string>> ResultIdsAsync(TemporaryDirectory dir, Dictionary<string, string> environment)
    {
        string results = await Ok(dir, environment, "topics", "tail", environment["RESULT_TOPIC"], "--from-beginning");
        return results.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("ride_id").GetString()!).ToHashSet();
    }

    private static async Task<T> WaitForAsync<T>(Func<T> probe, Func<T, bool> done, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T value = probe();
        while (!done(value))
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting after {seconds} s; last state: {value}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
            value = probe();
        }

        return value;
    }

    private Dictionary<string, string> KafkaEnvironment(string name) => MockClusterEnvironment.For(_cluster, name);

    private static async Task<string> Ok(TemporaryDirectory dir, Dictionary<string, string> environment, params string[] args)
    {
        var (code, stdout, stderr) = await DatastreamProcess.RunAsync(dir.Path, args, TimeSpan.FromMinutes(3), environment);
        Assert.True(code == 0, $"datastream {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
