using System.Text.Json;
using Datastream.Embedded;
using Datastream.Pipelines.Log;

namespace Datastream.IntegrationTests;

/// <summary>
/// SPEC §8: a kill -9 of compute-cost at any moment loses nothing and duplicates nothing. The pipeline is killed
/// twice in the middle of a 500,000-ride backlog, then restarted with --until-idle; every raw record must end in
/// exactly one of rides_result and rides_dlq, once.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Rides = 500_000;

    [Fact]
    public async Task KillNineDuringBacklog_ThenRestart_NoRideMissingNoneTwice()
    {
        using var dir = new TemporaryDirectory();
        await ComputeCostEndToEndTests.Ok(dir, "produce", "--count", Rides.ToString(), "--invalid-ratio", "0.01", "--seed", "42");

        foreach (long killAfter in new[] { 60_000L, 230_000L })
        {
            using var pipeline = DatastreamProcess.Start(dir.Path, ["pipeline", "compute-cost"]);
            long accounted = 0;
            for (int attempt = 0; attempt < 1200 && accounted < killAfter; attempt++)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
                accounted = await CountAsync(dir, "rides_result") + await CountAsync(dir, "rides_dlq");
            }

            Assert.True(accounted >= killAfter, $"the pipeline made no progress before the kill: {pipeline.Stderr}");
            Assert.True(accounted < Rides, "the pipeline finished before it could be killed; the backlog is too small for this machine");
            pipeline.Kill();
        }

        await ComputeCostEndToEndTests.Ok(dir, "pipeline", "compute-cost", "--until-idle");

        await using var log = new SqliteLog(new EmbeddedLogOptions(dir.Path));
        var dlqOffsets = new HashSet<long>();
        foreach (var record in await ReadAllAsync(log, "rides_dlq"))
        {
            using var doc = JsonDocument.Parse(record.Value);
            long offset = doc.RootElement.GetProperty("source").GetProperty("offset").GetInt64();
            Assert.True(dlqOffsets.Add(offset), $"raw offset {offset} has two dead letters");
        }

        var resultIds = new HashSet<string>();
        foreach (var record in await ReadAllAsync(log, "rides_result"))
        {
            using var doc = JsonDocument.Parse(record.Value);
            string id = doc.RootElement.GetProperty("ride_id").GetString()!;
            Assert.True(resultIds.Add(id), $"ride {id} is twice in rides_result");
        }

        var raw = await ReadAllAsync(log, "rides_raw");
        Assert.Equal(Rides, raw.Count);
        Assert.Equal(Rides, resultIds.Count + dlqOffsets.Count);
        foreach (var record in raw.Where(r => !dlqOffsets.Contains(r.Offset)))
        {
            using var doc = JsonDocument.Parse(record.Value);
            string id = doc.RootElement.GetProperty("ride_id").GetString()!;
            Assert.True(resultIds.Contains(id), $"raw offset {record.Offset} (ride {id}) has neither a result nor a dead letter");
        }
    }

    private static async Task<long> CountAsync(TemporaryDirectory dir, string topic)
    {
        await using var log = new SqliteLog(new EmbeddedLogOptions(dir.Path));
        return (await log.DescribeTopicAsync(topic))?.RecordCount ?? 0;
    }

    private static async Task<List<LogRecord>> ReadAllAsync(ILog log, string topic)
    {
        long expected = (await log.DescribeTopicAsync(topic))!.RecordCount;
        var all = new List<LogRecord>();
        await using var consumer = log.CreateConsumer(new ConsumerSpec("verify-" + Guid.NewGuid().ToString("N"), [topic]));
        for (int emptyPolls = 0; all.Count < expected && emptyPolls < 50;)
        {
            var batch = await consumer.PollAsync(50_000, TimeSpan.FromMilliseconds(200));
            all.AddRange(batch);
            emptyPolls = batch.Count == 0 ? emptyPolls + 1 : 0;
        }

        Assert.Equal(expected, all.Count);
        return all;
    }
}
