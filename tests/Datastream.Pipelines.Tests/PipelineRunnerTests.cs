using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Resilience;
using Datastream.Pipelines.Running;
using Datastream.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Pipelines.Tests;

/// <summary>
/// The loop both pipelines share, with a batch handler that holds what it handled until the runner commits it. No
/// test waits for a backoff: the runner's clock records each wait and fires at once.
/// </summary>
public sealed class PipelineRunnerTests
{
    private const string Input = "input";
    private const string Group = "runner-tests";
    private static readonly Backoff Retry = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(80));

    [Fact]
    public async Task AFailedBatch_IsRetriedFromTheCommittedOffsets_WithBackoffThatNeverExceedsItsCap()
    {
        var log = await LogWithRecordsAsync(50);
        var clock = new RecordingTimeProvider();
        HoldingBatches? batches = null;
        var runner = Runner(log, (consumer, _) => batches = new HoldingBatches(consumer, failures: 12), clock);

        await runner.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(12, runner.Progress.FailedBatches);
        Assert.Equal(12, clock.Waits.Count);
        Assert.All(clock.Waits, wait => Assert.InRange(wait, TimeSpan.Zero, Retry.Max));
        // Each failure dropped what was held and rewound: every record is committed exactly once.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), batches!.Committed);
        Assert.Equal(50, await CommittedAsync(log));
        Assert.Equal(PipelineState.Stopped, runner.Progress.State);
    }

    [Fact]
    public async Task LostPartitions_AreFollowedAtOnce_WithoutBackoff()
    {
        var log = await LogWithRecordsAsync(30);
        var clock = new RecordingTimeProvider();
        HoldingBatches? batches = null;
        var runner = Runner(log, (consumer, _) => batches = new HoldingBatches(consumer, failures: 1)
        {
            FailWith = new PartitionsLostException([new TopicPartition(Input, 0)], "lease expired"),
        }, clock);

        await runner.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(1, runner.Progress.FailedBatches);
        Assert.Empty(clock.Waits);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), batches!.Committed);
    }

    [Fact]
    public async Task UntilIdle_CommitsWhatIsHeld_RecordsItsLatency_AndEnds()
    {
        var log = await LogWithRecordsAsync(25);
        var runner = Runner(log, (consumer, _) => new HoldingBatches(consumer, failures: 0), new RecordingTimeProvider());

        await runner.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(25, runner.Progress.Consumed);
        Assert.Equal(25, await CommittedAsync(log));
        // Event latency ends at the commit, so each record is measured once it is committed, not when handled.
        Assert.Equal(25, runner.Progress.Latency.Count);
        Assert.Equal(PipelineState.Stopped, runner.Progress.State);
    }

    [Fact]
    public async Task WhileUntilIdleSaysNo_AnIdleRunnerWaits_UntilStopped()
    {
        var log = await LogWithRecordsAsync(5);
        var runner = Runner(log, (consumer, _) => new HoldingBatches(consumer, failures: 0), new RecordingTimeProvider());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // The log double answers every poll at once, so an idle run never yields: run it on its own thread.
        var running = Task.Run(() => runner.RunAsync(() => false, stop.Token), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync("runner idle", () => runner.Progress.State == PipelineState.Idle, interval: TimeSpan.FromMilliseconds(10));
        Assert.False(running.IsCompleted);
        await stop.CancelAsync();
        await running;

        Assert.Equal(5, await CommittedAsync(log));
        Assert.Equal(PipelineState.Stopped, runner.Progress.State);
    }

    [Fact]
    public async Task Pausing_CommitsWhatIsHeldFirst_ThenConsumesNothingUntilResumed()
    {
        var log = await LogWithRecordsAsync(40);
        HoldingBatches? batches = null;
        PipelineRunner runner = null!;
        runner = Runner(log, (consumer, _) => batches = new HoldingBatches(consumer, failures: 0) { AfterFirstBatch = () => runner.Pause.Pause() }, new RecordingTimeProvider());

        var running = runner.RunAsync(() => true, TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync("runner paused", () => runner.Progress.State == PipelineState.Paused, interval: TimeSpan.FromMilliseconds(10));

        Assert.Equal(10, runner.Progress.Consumed);
        Assert.Equal(10, await CommittedAsync(log));
        Assert.False(running.IsCompleted);
        Assert.True(runner.Pause.Resume());
        await running;

        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), batches!.Committed);
    }

    [Fact]
    public async Task AMissingTopic_IsNotRetried_ThePipelineDies_NamingItselfAndTheTopic()
    {
        var log = await LogWithRecordsAsync(5);
        var clock = new RecordingTimeProvider();
        var runner = Runner(log, (consumer, _) => new HoldingBatches(consumer, failures: 1) { FailWith = new UnknownTopicException("rides_result") }, clock);

        var died = await Assert.ThrowsAsync<PipelineFailedException>(() => runner.RunAsync(() => true, TestContext.Current.CancellationToken));

        Assert.Equal("test", died.Pipeline);
        Assert.IsType<UnknownTopicException>(died.InnerException);
        Assert.StartsWith("pipeline test failed: topic 'rides_result' does not exist", died.Message, StringComparison.Ordinal);
        Assert.Empty(clock.Waits);
        Assert.Equal(PipelineState.Failed, runner.Progress.State);
        Assert.Equal(died.InnerException!.Message, runner.Progress.LastError);
    }

    [Fact]
    public async Task OutOfMemory_IsNotRetried_ThePipelineDies()
    {
        var log = await LogWithRecordsAsync(5);
        var clock = new RecordingTimeProvider();
        var runner = Runner(log, (consumer, _) => new HoldingBatches(consumer, failures: 1) { FailWith = new OutOfMemoryException() }, clock);

        var died = await Assert.ThrowsAsync<PipelineFailedException>(() => runner.RunAsync(() => true, TestContext.Current.CancellationToken));

        Assert.IsType<OutOfMemoryException>(died.InnerException);
        Assert.Empty(clock.Waits);
        Assert.Equal(PipelineState.Failed, runner.Progress.State);
        Assert.Equal(0, await CommittedAsync(log));
    }

    [Fact]
    public async Task PollErrors_AreRetried_NothingIsLost_EachIsCounted_AndTheLagKeepsMovingMeanwhile()
    {
        const int failures = 4;
        var inner = await LogWithRecordsAsync(30);
        await using var producer = inner.CreateProducer();
        var clock = new RecordingTimeProvider();
        using var captured = new CapturedMetrics();
        var lagBeforePoll = new List<long>();
        PipelineRunner runner = null!;
        // The producer goes on writing while the poll fails: 5 more records before each failing poll.
        var log = new FailingConsumerLog(inner)
        {
            PollFailures = failures,
            BeforePoll = async polls =>
            {
                if (polls < failures)
                {
                    lagBeforePoll.Add(runner.Progress.Lag.Sum(l => l.Lag));
                    await producer.ProduceAsync([.. Enumerable.Range(30 + (polls * 5), 5).Select(i => new OutgoingRecord(Input, null, new byte[] { (byte)i }))]);
                }
            },
        };
        HoldingBatches? batches = null;
        runner = Runner(log, (consumer, _) => batches = new HoldingBatches(consumer, failures: 0), clock, captured.Metrics);

        await runner.RunAsync(() => true, TestContext.Current.CancellationToken);

        // Each failed poll refreshed the lag before the next attempt: 30 + 5 written before the first, and so on.
        Assert.Equal([0, 35, 40, 45], lagBeforePoll);
        Assert.Equal(failures, runner.Progress.FailedBatches);
        Assert.Equal(failures, captured.Count("datastream_failed_batches", ("pipeline", "test")));
        Assert.Equal("lease renewal: database is busy", runner.Progress.LastError);
        Assert.Equal(failures, clock.Waits.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), batches!.Committed);
        Assert.Equal(50, await CommittedAsync(inner));
        Assert.Equal(PipelineState.Stopped, runner.Progress.State);
    }

    [Fact]
    public async Task ALagQueryThatFails_WhileBusy_FailsNoBatch()
    {
        var inner = await LogWithRecordsAsync(50);
        var log = new FailingConsumerLog(inner) { LagFailures = 2 };
        HoldingBatches? batches = null;
        var runner = Runner(log, (consumer, _) => batches = new HoldingBatches(consumer, failures: 0), new RecordingTimeProvider());

        await runner.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(0, log.LagFailures);
        Assert.Equal(0, runner.Progress.FailedBatches);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), batches!.Committed);
        Assert.Equal(50, runner.Progress.Lag.Single().Position);
    }

    [Fact]
    public async Task ARewindThatFailsAfterAFailedBatch_IsDoneBeforeTheNextPoll_NothingLostOrTwice()
    {
        var inner = await LogWithRecordsAsync(40);
        var log = new FailingConsumerLog(inner) { RewindFailures = 1 };
        HoldingBatches? batches = null;
        var runner = Runner(log, (consumer, _) => batches = new HoldingBatches(consumer, failures: 1), new RecordingTimeProvider());

        await runner.RunAsync(() => true, TestContext.Current.CancellationToken);

        Assert.Equal(0, log.RewindFailures);
        Assert.Equal(1, runner.Progress.FailedBatches);
        // Without the rewind the poll after the failure would start at offset 10 and the first batch would be lost.
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), batches!.Committed);
        Assert.Equal(PipelineState.Stopped, runner.Progress.State);
    }

    [Fact]
    public async Task AsAHostedService_ItRunsUntilTheHostStops_AndCommitsWhatIsHeld()
    {
        var log = await LogWithRecordsAsync(15);
        var runner = Runner(log, (consumer, _) => new HoldingBatches(consumer, failures: 0), new RecordingTimeProvider());

        // StartAsync returns once ExecuteAsync yields; the log double never does, so start it from another thread.
        await Task.Run(() => runner.StartAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync("runner idle", () => runner.Progress.State == PipelineState.Idle, interval: TimeSpan.FromMilliseconds(10));
        await runner.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(15, await CommittedAsync(log));
        Assert.Equal(PipelineState.Stopped, runner.Progress.State);
    }

    private static PipelineRunner Runner(ILog log, Func<ILogConsumer, PipelineProgress, IBatchHandler> open, TimeProvider clock, DatastreamMetrics? metrics = null) => new(
        log,
        new RunnerSettings("test", new ConsumerSpec(Group, [Input]), Input, OutputTopic: null, "dlq") { BatchSize = 10, PollWait = TimeSpan.Zero, Retry = Retry },
        open,
        metrics ?? new DatastreamMetrics(),
        NullLogger.Instance,
        clock);

    private static async Task<InMemoryLog> LogWithRecordsAsync(int count)
    {
        var log = new InMemoryLog();
        await log.CreateTopicAsync(new TopicSpec(Input));
        await using var producer = log.CreateProducer();
        await producer.ProduceAsync([.. Enumerable.Range(0, count).Select(i => new OutgoingRecord(Input, null, new byte[] { (byte)i }))]);
        return log;
    }

    private static async Task<long> CommittedAsync(InMemoryLog log)
    {
        var description = await log.DescribeTopicAsync(Input);
        return description!.Partitions.Sum(p => p.CommittedOffsets.GetValueOrDefault(Group));
    }

    /// <summary>Holds the offsets it handled until the runner commits them; fails its first batches when told to.</summary>
    private sealed class HoldingBatches(ILogConsumer consumer, int failures) : IBatchHandler
    {
        private readonly List<LogRecord> _held = [];
        private int _failuresLeft = failures;

        public Exception FailWith { get; init; } = new IOException("sink unavailable");

        public Action? AfterFirstBatch { get; init; }

        public List<long> Committed { get; } = [];

        public ValueTask<BatchOutcome> HandleAsync(IReadOnlyList<LogRecord> records, CancellationToken stop)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw FailWith;
            }

            _held.AddRange(records);
            if (Committed.Count == 0 && _held.Count == records.Count)
            {
                AfterFirstBatch?.Invoke();
            }

            return ValueTask.FromResult(new BatchOutcome(records.Count, new long[Enum.GetValues<RejectionKind>().Length], Committed: false));
        }

        public bool IsCommitDue(DateTime nowUtc) => false;

        public async ValueTask<long[]?> CommitAsync()
        {
            if (_held.Count == 0)
            {
                return null;
            }

            await consumer.CommitAsync([new TopicPartitionOffset(Input, 0, _held[^1].Offset + 1)]);
            Committed.AddRange(_held.Select(r => r.Offset));
            _held.Clear();
            return null;
        }

        public void Discard() => _held.Clear();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
