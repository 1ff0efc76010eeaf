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
    public async Task StatsCheck_AfterTransactionalRuns_CountsRecordsNotOffsets_AndPasses()
    {
        using var dir = new TemporaryDirectory();
        var environment = KafkaEnvironment("statscheck");
        await Ok(dir, environment, "produce", "--count", "400", "--invalid-ratio", "0.1", "--seed", "8");
        await Ok(dir, environment, "pipeline", "compute-cost", "--until-idle");
        await Ok(dir, environment, "pipeline", "index-and-export", "--until-idle");
        // A broker stores the offsets compute-cost sends in its transactions (rides_raw has no markers: they are its
        // end offsets); the mock drops them.
        _cluster.CommitAtEnd(environment["DATASTREAM__ComputeCost__Group"], environment["RAW_TOPIC"], 6);

        var (code, stdout, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["stats", "--check", "--json"], TimeSpan.FromMinutes(3), environment);

        Assert.True(code == 0, $"stats --check exited {code}: {stderr}{stdout}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("check").GetProperty("ok").GetBoolean());
        var topics = doc.RootElement.GetProperty("topics").EnumerateArray().ToDictionary(t => t.GetProperty("topic").GetString()!);
        var result = topics[environment["RESULT_TOPIC"]];
        var dlq = topics[environment["DLQ_TOPIC"]];
        Assert.Equal(400, topics[environment["RAW_TOPIC"]].GetProperty("records").GetInt64());
        Assert.Equal(400, result.GetProperty("records").GetInt64() + dlq.GetProperty("records").GetInt64());
        Assert.Equal(Lines(await Ok(dir, environment, "topics", "tail", environment["RESULT_TOPIC"], "--from-beginning")), result.GetProperty("records").GetInt64());
        Assert.Equal(Lines(await Ok(dir, environment, "topics", "tail", environment["DLQ_TOPIC"], "--from-beginning")), dlq.GetProperty("records").GetInt64());
        // The outputs were written in transactions, whose markers take offsets: what this test is about.
        Assert.True(result.GetProperty("end_offsets").GetInt64() > result.GetProperty("records").GetInt64(), "no transaction markers in rides_result");
        Assert.True(dlq.GetProperty("end_offsets").GetInt64() > dlq.GetProperty("records").GetInt64(), "no transaction markers in rides_dlq");
        // Lag in records after a group's commit before a trailing marker is the log contract's
        // (Outputs_of_consecutive_units_of_work_are_counted_as_records_not_offsets): here index-and-export's offsets
        // may go in transactions, which the mock does not store.
    }

    private static long Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

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
