using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Generation;
using Datastream.Embedded;
using Datastream.Lake;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Producer;
using Datastream.Pipelines.Running;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Outages.Testing;

/// <summary>
/// index-and-export on the embedded log through real outages of one sink (issue 13, build item 5). rides_result gets
/// rounds of priced rides (compute-cost over generated rides) between bad records. The first round goes through
/// with every sink up. Then, for each outage: the pipeline is paused, a round is written, the outage begins and the
/// pipeline is resumed into it; the outage lasts until the pipeline was seen in state retrying with a reason naming
/// the sink, failed at least <see cref="MinFailedAttempts"/> times (so its backoff stays short: capped), and at least
/// <see cref="OutageDuration"/>. While it lasts the lake's buffered rows are sampled: a rewind drops them, so they
/// never exceed what one commit holds. A last round is written once the sinks are back and the pipeline runs until
/// idle. Then every valid ride is exactly once in the index and in the lake, every bad record exactly once in
/// rides_dlq, and the group's committed offsets are at the end of rides_result.
/// Nothing is timed: waits are for conditions, with a generous deadline.
/// </summary>
public sealed class SinkOutageScenario(string dataDirectory)
{
    /// <summary>Seconds each outage lasts at least (default 1): set 60 for the issue's long variant.</summary>
    public const string OutageSecondsVariable = "DATASTREAM_OUTAGE_SECONDS";

    private static readonly TopicNames Topics = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The log's settings; a test of the log's own outage shortens BusyTimeout.</summary>
    public EmbeddedLogOptions LogOptions { get; init; } = new(dataDirectory);

    /// <summary>Small batches and a backoff capped at 250 ms, so that an outage of a second sees several attempts.</summary>
    public IndexAndExportSettings Settings { get; init; } = new()
    {
        BatchSize = 100,
        MinRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(250),
    };

    /// <summary>Files roll at 250 rows: a round of rides commits in the middle too, not only when the pipeline is idle.</summary>
    public LakeOptions LakeOptions { get; init; } = new() { MaxRowsPerFile = 250 };

    public int RidesPerRound { get; init; } = 400;

    public int BadRecordsPerRound { get; init; } = 10;

    public int MinFailedAttempts { get; init; } = 3;

    public static TimeSpan OutageDuration =>
        Environment.GetEnvironmentVariable(OutageSecondsVariable) is { Length: > 0 } seconds
            ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs the scenario with these sinks (the lake is a <see cref="ParquetRideLake"/> over <paramref name="lakeStore"/>,
    /// disposed at the end) through <paramref name="outages"/>, one after the other; <paramref name="indexedRideIds"/>
    /// answers the ride_id of every document in the index.
    /// </summary>
    public async Task<SinkOutageReport> RunAsync(IRideIndexWriter index, ILakeStore lakeStore, Func<Task<IReadOnlyCollection<string>>> indexedRideIds,
        params IReadOnlyList<SinkOutage> outages)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var log = new SqliteLog(LogOptions);
        foreach (var (topic, partitions) in new[] { (Topics.Raw, 2), (Topics.Result, 2), (Topics.Dlq, 1) })
        {
            await log.CreateTopicAsync(new TopicSpec(topic, partitions), ct);
        }

        var badRecords = new List<string>();
        var random = new Random(13);
        await WriteRoundAsync(log, 0, random, badRecords, ct);

        await using var lake = new ParquetRideLake(lakeStore, LakeOptions);
        var pipeline = new IndexAndExportPipeline(log, index, lake, Settings, new DatastreamMetrics(), NullLogger<IndexAndExportPipeline>.Instance);
        var progress = pipeline.Progress;
        bool drain = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = pipeline.RunAsync(() => Volatile.Read(ref drain), stop.Token);
        var failedBatches = new List<long>();
        var reasons = new List<string>();
        int maxBufferedRows = 0;
        SinkOutage? ongoing = null;
        try
        {
            await UntilAsync(run, "the first round is committed with every sink up", async () =>
                progress.State == PipelineState.Idle && await IsCommittedToTheEndAsync(log), () => Describe(progress));

            for (int i = 0; i < outages.Count; i++)
            {
                var outage = outages[i];
                // Paused (what is held is committed first), so that the round written now is all read during the outage.
                pipeline.Pause.Pause();
                await UntilAsync(run, "the pipeline pauses", () => Task.FromResult(progress.State == PipelineState.Paused), () => Describe(progress));
                await WriteRoundAsync(log, i + 1, random, badRecords, ct);

                long failedBefore = progress.FailedBatches;
                string? reason = null;
                var lasted = Stopwatch.StartNew();
                ongoing = outage;
                await outage.BeginAsync();
                pipeline.Pause.Resume();
                await UntilAsync(run, $"{outage.Name}: state retrying with a reason containing '{outage.Reason}', {MinFailedAttempts} failed attempts", () =>
                {
                    maxBufferedRows = Math.Max(maxBufferedRows, lake.BufferedRows);
                    // Read together: the state goes back to running whenever an attempt reads its batch again.
                    if (progress.State == PipelineState.Retrying && progress.LastError is { } error && error.Contains(outage.Reason, StringComparison.Ordinal))
                    {
                        reason = error;
                    }

                    return Task.FromResult(reason is not null && progress.FailedBatches - failedBefore >= MinFailedAttempts && lasted.Elapsed >= OutageDuration);
                }, () => Describe(progress), Deadline + OutageDuration);

                failedBatches.Add(progress.FailedBatches - failedBefore);
                reasons.Add(reason!);
                ongoing = null;
                await outage.EndAsync();
            }

            await WriteRoundAsync(log, outages.Count + 1, random, badRecords, ct);
            Volatile.Write(ref drain, true);
            await UntilAsync(run, "the pipeline drains rides_result once the sinks are back", () => Task.FromResult(run.IsCompleted), () => Describe(progress));
            await run;
        }
        finally
        {
            await stop.CancelAsync();
            if (ongoing is not null)
            {
                // The test failed during the outage: end it anyway, so that what it broke (a mount, a server) is restored.
                await ongoing.EndAsync();
            }

            try
            {
                await run;
            }
            catch (Exception error) when (error is OperationCanceledException or PipelineFailedException)
            {
                // Reported by the wait that saw it, or the test failed before and says why.
            }
        }

        // Rides: every valid result once in the index and once in the lake.
        var results = await TopicRecords.ReadAllAsync(log, Topics.Result, ct);
        var bad = badRecords.ToHashSet(StringComparer.Ordinal);
        var rides = results.Select(r => Encoding.UTF8.GetString(r.Value)).Where(v => !bad.Contains(v))
            .Select(v => JsonDocument.Parse(v).RootElement.GetProperty("ride_id").GetString()!).ToList();
        Assert.Equal(RidesPerRound * (outages.Count + 2), rides.Distinct().Count());
        AssertExactlyOnce("the index", rides, await indexedRideIds());
        AssertExactlyOnce("the lake", rides, await LakeRideIdsAsync(lakeStore, ct));
        var staged = await KeysAsync(lakeStore, "_datastream/staging/", ct);
        Assert.DoesNotContain(staged, key => key.EndsWith(".staged", StringComparison.Ordinal));

        // Dead letters: one per bad record, from index-and-export, each pointing at its own source record.
        var letters = (await TopicRecords.ReadAllAsync(log, Topics.Dlq, ct)).Select(r => DeadLetter.Parse(r.Value)).ToList();
        Assert.All(letters, l => Assert.Equal(IndexAndExportPipeline.Name, l.Pipeline));
        AssertExactlyOnce("rides_dlq", badRecords, letters.Select(l => Encoding.UTF8.GetString(l.Payload)).ToList());
        Assert.Equal(letters.Count, letters.Select(l => (l.Source.Partition, l.Source.Offset)).Distinct().Count());

        // Offsets: committed to the end of every partition.
        Assert.True(await IsCommittedToTheEndAsync(log), "the group's committed offsets are not at the end of rides_result");

        // Memory: a failed attempt drops what it held, so the lake never buffers more than one commit's worth.
        Assert.InRange(maxBufferedRows, 0, LakeOptions.MaxRowsPerFile + Settings.BatchSize);
        Assert.Equal(PipelineState.Stopped, progress.State);
        return new SinkOutageReport(failedBatches, reasons, maxBufferedRows, rides.Count, badRecords.Count);
    }

    /// <summary>
    /// Bad records of two kinds around priced rides (compute-cost over generated rides), appended to rides_result: the
    /// first half is read, and its dead letters held, before the lake rolls in the middle of the round.
    /// </summary>
    private async Task WriteRoundAsync(SqliteLog log, int round, Random random, List<string> badRecords, CancellationToken ct)
    {
        var bad = Enumerable.Range(0, BadRecordsPerRound)
            .Select(i => i % 2 == 0 ? $"not json, round {round} record {i}" : $$"""{"ride_id":"bad-{{round}}-{{i}}","comfort":"Basic"}""")
            .ToList();
        await using var producer = log.CreateProducer();
        await producer.ProduceAsync(BadRecords(bad[..(bad.Count / 2)]), ct);

        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions());
        await new RideProducer(log, Topics.Raw, NullLogger<RideProducer>.Instance)
            .RunAsync(new GeneratedRideSource(generator), new ProduceLimits(RidesPerRound, null, 0), ct);
        await new ComputeCostPipeline(log, new ComputeCostSettings { BatchSize = 500 }, new DatastreamMetrics(), NullLogger<ComputeCostPipeline>.Instance)
            .RunAsync(() => true, ct);

        await producer.ProduceAsync(BadRecords(bad[(bad.Count / 2)..]), ct);
        badRecords.AddRange(bad);

        static List<OutgoingRecord> BadRecords(IEnumerable<string> values) =>
            [.. values.Select(b => new OutgoingRecord(Topics.Result, ReadOnlyMemory<byte>.Empty, Encoding.UTF8.GetBytes(b)))];
    }

    private async Task<bool> IsCommittedToTheEndAsync(SqliteLog log)
    {
        var description = await log.DescribeTopicAsync(Topics.Result, CancellationToken.None);
        return description!.Partitions.All(p => p.CommittedOffsets.TryGetValue(Settings.Group, out long committed) && committed == p.EndOffset);
    }

    private static string Describe(PipelineProgress progress) =>
        $"state {progress.State}, {progress.FailedBatches} failed attempts, consumed {progress.Consumed}, last error: {progress.LastError ?? "none"}";

    /// <summary>Polls every 20 ms until <paramref name="condition"/> holds; fails naming it, or at once if the pipeline ended.</summary>
    private static async Task UntilAsync(Task run, string what, Func<Task<bool>> condition, Func<string> observed, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (run.IsFaulted)
            {
                Assert.Fail($"{what}: the pipeline ended with {run.Exception!.InnerException}");
            }

            if (waited.Elapsed > limit)
            {
                Assert.Fail($"{what} did not happen within {limit.TotalSeconds:F0} s; {observed()}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static void AssertExactlyOnce(string where, IReadOnlyCollection<string> expected, IReadOnlyCollection<string> found)
    {
        var doubled = found.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var missing = expected.Except(found, StringComparer.Ordinal).ToList();
        var extra = found.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(doubled.Count == 0 && missing.Count == 0 && extra.Count == 0,
            $"{where}: {expected.Count} expected once each, found {found.Count}; doubled {doubled.Count} ({string.Join(", ", doubled.Take(3))}), " +
            $"missing {missing.Count} ({string.Join(", ", missing.Take(3))}), unexpected {extra.Count} ({string.Join(", ", extra.Take(3))})");
    }

    /// <summary>The ride_id of every row of every published file (under the prefix, not staging), read back with Parquet.</summary>
    private async Task<List<string>> LakeRideIdsAsync(ILakeStore store, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var key in await KeysAsync(store, LakeOptions.Prefix, ct))
        {
            Assert.EndsWith(".parquet", key, StringComparison.Ordinal);
            await using var stream = await store.OpenReadAsync(key, ct);
            ids.AddRange((await RideParquetFormat.ReadAsync(stream, ct)).Select(r => r.RideId.ToString("D")));
        }

        return ids;
    }

    private static async Task<List<string>> KeysAsync(ILakeStore store, string prefix, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var key in store.ListAsync(prefix, ct))
        {
            keys.Add(key);
        }

        return keys;
    }
}
