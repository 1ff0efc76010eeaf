using System.Diagnostics;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace Datastream.Pipelines.Running;

/// <summary>
/// The loop both pipelines share: poll, pause and resume, stop when idle, retry a failed batch with capped exponential
/// backoff and jitter, lag, state and the shared metrics. The pipeline's <see cref="IBatchHandler"/> does the rest.
/// Delivery rests on two rules held here: offsets are committed only with (or after) the output they belong to, and
/// after any failure what is held is dropped and re-read from the committed offsets. A graceful stop finishes and
/// commits the batch in hand. As a <see cref="BackgroundService"/> it runs until the host stops.
/// </summary>
public sealed partial class PipelineRunner(
    ILog log,
    RunnerSettings settings,
    Func<ILogConsumer, PipelineProgress, IBatchHandler> openBatches,
    DatastreamMetrics metrics,
    ILogger logger,
    TimeProvider? timeProvider = null) : BackgroundService
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    // The series this runner counts into, taken when it is built: each is exported at 0 from then on (SPEC §7).
    private readonly CounterSeries _consumed = metrics.RecordsConsumed.Series(PipelineLabel(settings), new("topic", settings.InputTopic));
    private readonly CounterSeries? _produced = settings.OutputTopic is null ? null : metrics.RecordsProduced.Series(PipelineLabel(settings), new("topic", settings.OutputTopic));
    private readonly CounterSeries _deadLettersProduced = metrics.RecordsProduced.Series(PipelineLabel(settings), new("topic", settings.DeadLetterTopic));
    private readonly IReadOnlyList<CounterSeries> _deadLetters = metrics.DeadLetterSeries(settings.Pipeline);
    private readonly CounterSeries _failedBatches = metrics.FailedBatches.Series(PipelineLabel(settings));

    /// <summary>Log timestamps of the records handled since the last commit: their event latency ends when it happens.</summary>
    private readonly List<DateTime> _uncommitted = [];

    /// <summary>Set when the rewind after a failed batch failed itself: the next attempt rewinds before it polls.</summary>
    private bool _rewindPending;

    public string Name => settings.Pipeline;

    // Registered for the lag and paused gauges when built, so that they are exported before the run starts.
    public PipelineProgress Progress { get; } = TrackLag(metrics, settings.Pipeline, new PipelineProgress());

    public PauseSwitch Pause { get; } = TrackPaused(metrics, settings.Pipeline, new PauseSwitch());

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled (the batch in hand is finished and committed first), or, when
    /// <paramref name="untilIdle"/> returns true, until the group has consumed every partition of the input to its end.
    /// Every error is retried but those only an operator can fix (a missing topic) and running out of memory: they end
    /// the run in state <see cref="PipelineState.Failed"/> with a <see cref="PipelineFailedException"/> naming the pipeline.
    /// </summary>
    public async Task RunAsync(Func<bool>? untilIdle, CancellationToken stop)
    {
        try
        {
            await RunUntilStoppedAsync(untilIdle, stop);
            Progress.State = PipelineState.Stopped;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Progress.State = PipelineState.Stopped;
            throw;
        }
        catch (Exception error)
        {
            Failed(error);
            Progress.State = PipelineState.Failed;
            LogDied(logger, Name, error);
            throw new PipelineFailedException(Name, error);
        }
    }

    private async Task RunUntilStoppedAsync(Func<bool>? untilIdle, CancellationToken stop)
    {
        await using var consumer = log.CreateConsumer(settings.Consumer);
        await using var batches = openBatches(consumer, Progress);
        var assignment = new AssignmentReport(Name, logger);
        var retry = settings.Retry.Build(Backoff.UntilCancelled, IsRetried, async args =>
        {
            var error = args.Outcome.Exception!;
            Failed(error);
            Progress.State = PipelineState.Retrying;
            LogBatchFailed(logger, Name, args.RetryDelay, error);
            await RewindAfterFailureAsync(consumer, batches);
            // While batches fail nothing else refreshes the lag: without this the gauge would freeze at its last
            // value (0 for a pipeline that was idle when the sink went down) and a stuck pipeline would look fine.
            await TryRefreshLagAsync(consumer, now: true);
        }, _time);
        Progress.State = PipelineState.Running;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!await retry.ExecuteAsync(token => StepAsync(consumer, batches, assignment, untilIdle, token), stop))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }

        // A graceful stop keeps what was done: commit it (best effort; what fails is read again on restart).
        try
        {
            await CommitHeldAsync(batches);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogFinalCommitFailed(logger, Name, error.Message);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(untilIdle: null, stoppingToken);

    /// <summary>
    /// Everything but a stop is retried, a failed poll as much as a failed sink write, also an exception a batch throws
    /// as cancelled (a timed-out request). The exceptions: a topic that does not exist, a configuration error which only
    /// the operator can fix, and running out of memory, which is the process's state and not the batch's.
    /// </summary>
    private static bool IsRetried(Outcome<object> outcome, ResilienceContext context) => outcome.Exception switch
    {
        null => false,
        UnknownTopicException => false,
        OutOfMemoryException => false,
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => false,
        _ => true,
    };

    /// <summary>One turn of the loop; false once the run should end (stopped while paused, or idle with untilIdle).</summary>
    private async ValueTask<bool> StepAsync(ILogConsumer consumer, IBatchHandler batches, AssignmentReport assignment, Func<bool>? untilIdle, CancellationToken stop)
    {
        if (_rewindPending)
        {
            // The rewind after the last failure did not happen: read nothing past the committed offsets before it does.
            await consumer.RewindToCommittedAsync(CancellationToken.None);
            _rewindPending = false;
        }

        if (Pause.IsPaused && !await PauseAsync(consumer, batches, stop))
        {
            return false;
        }

        IReadOnlyList<LogRecord> records = [];
        try
        {
            // ConsumeKafka
            long polling = StageTimes.Start();
            records = await consumer.PollAsync(settings.BatchSize, settings.PollWait, stop);
            if (records.Count > 0)
            {
                Progress.Stages.Add(PipelineStages.Poll, polling);
            }

            if (assignment.Update(consumer))
            {
                // Held or just polled work of a partition this member lost (even if it claimed it again since: another
                // member may have committed meanwhile) must not be committed. Start over from the committed offsets.
                await RewindAsync(consumer, batches);
                return true;
            }

            if (records.Count == 0)
            {
                return !await IsDoneWhenIdleAsync(consumer, batches, untilIdle);
            }

            Progress.State = PipelineState.Running;
            long started = Stopwatch.GetTimestamp();
            var outcome = await batches.HandleAsync(records, stop);
            foreach (var record in records)
            {
                _uncommitted.Add(record.TimestampUtc);
            }

            RecordBatch(records.Count, outcome);
            if (outcome.Committed)
            {
                RecordCommitted();
            }
            else if (batches.IsCommitDue(_time.GetUtcNow().UtcDateTime))
            {
                await CommitHeldAsync(batches);
            }

            metrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, PipelineTag);
            await TryRefreshLagAsync(consumer, now: false);
            return true;
        }
        catch (PartitionsLostException error)
        {
            // Another member owns these partitions now and redoes their records: no backoff, follow the new assignment.
            Failed(error);
            LogPartitionsLost(logger, Name, error.Message, records.Count);
            await RewindAsync(consumer, batches);
            return true;
        }
    }

    /// <summary>Nothing was polled: commit what is held (visible now rather than at the next roll), then check the lag.</summary>
    private async ValueTask<bool> IsDoneWhenIdleAsync(ILogConsumer consumer, IBatchHandler batches, Func<bool>? untilIdle)
    {
        await CommitHeldAsync(batches);
        var lag = await Progress.RefreshLagAsync(consumer, now: true);
        bool drained = lag.All(p => p.Lag == 0);
        Progress.State = drained ? PipelineState.Idle : PipelineState.Running;
        return drained && untilIdle is not null && untilIdle()
            && await InputDrain.IsCompleteAsync(log, consumer, lag, settings.InputTopic, settings.Consumer.Group);
    }

    /// <summary>
    /// Commits what is held first, so a long pause holds nothing back and a member that takes the partitions over
    /// meanwhile starts from where this one really stopped; false when stopped while paused.
    /// </summary>
    private async ValueTask<bool> PauseAsync(ILogConsumer consumer, IBatchHandler batches, CancellationToken stop)
    {
        try
        {
            await CommitHeldAsync(batches);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogCommitBeforePauseFailed(logger, Name, error.Message);
            await RewindAsync(consumer, batches);
        }

        return await Progress.WaitWhilePausedAsync(Name, Pause, () => TryRefreshLagAsync(consumer, now: true), logger, stop);
    }

    private async ValueTask CommitHeldAsync(IBatchHandler batches)
    {
        if (await batches.CommitAsync() is { } deadLetters)
        {
            Progress.AddDeadLetters(deadLetters);
            RecordDeadLetters(deadLetters);
        }

        RecordCommitted();
    }

    private async ValueTask RewindAsync(ILogConsumer consumer, IBatchHandler batches)
    {
        batches.Discard();
        _uncommitted.Clear();
        await consumer.RewindToCommittedAsync(CancellationToken.None);
    }

    /// <summary>
    /// After a failed batch: drops what is held and rewinds to the committed offsets. A rewind that fails (the log is
    /// what failed) is left to the next attempt, which does it before it polls, so its own failure is retried too.
    /// </summary>
    private async ValueTask RewindAfterFailureAsync(ILogConsumer consumer, IBatchHandler batches)
    {
        try
        {
            await RewindAsync(consumer, batches);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            _rewindPending = true;
            LogRewindFailed(logger, Name, error.Message);
        }
    }

    /// <summary>
    /// The lag is for the metrics and the pages: a query that fails keeps the last figures rather than failing the
    /// batch (which would redo it) or the pause (which would end it). The idle check, which decides on the lag, asks
    /// <see cref="PipelineProgress.RefreshLagAsync"/> itself and fails the step instead.
    /// </summary>
    private async Task TryRefreshLagAsync(ILogConsumer consumer, bool now)
    {
        try
        {
            await Progress.RefreshLagAsync(consumer, now);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogLagNotRefreshed(logger, Name, error.Message);
        }
    }

    /// <summary>A failed attempt at a batch: counted (<c>datastream_failed_batches_total</c>) and its reason kept for /api.</summary>
    private void Failed(Exception error)
    {
        Progress.AddFailedBatch();
        _failedBatches.Add(1);
        Progress.LastError = error.Message;
    }

    private KeyValuePair<string, object?> PipelineTag => PipelineLabel(settings);

    private static KeyValuePair<string, object?> PipelineLabel(RunnerSettings settings) => new("pipeline", settings.Pipeline);

    private static PipelineProgress TrackLag(DatastreamMetrics metrics, string pipeline, PipelineProgress progress)
    {
        metrics.TrackLag(pipeline, () => progress.Lag);
        return progress;
    }

    private static PauseSwitch TrackPaused(DatastreamMetrics metrics, string pipeline, PauseSwitch pause)
    {
        metrics.TrackPaused(pipeline, () => pause.IsPaused);
        return pause;
    }

    private void RecordBatch(int consumed, BatchOutcome outcome)
    {
        Progress.AddBatch(consumed, outcome.Produced, outcome.DeadLettersByKind);
        _consumed.Add(consumed);
        _produced?.Add(outcome.Produced);

        RecordDeadLetters(outcome.DeadLettersByKind);
    }

    private void RecordDeadLetters(long[] byKind)
    {
        long deadLetters = 0;
        for (int kind = 0; kind < byKind.Length; kind++)
        {
            _deadLetters[kind].Add(byKind[kind]);
            deadLetters += byKind[kind];
        }

        // Every record a pipeline writes to a topic is counted where it was written.
        _deadLettersProduced.Add(deadLetters);
    }

    /// <summary>datastream_event_latency_seconds, the same for both pipelines: a record's log timestamp → its output committed.</summary>
    private void RecordCommitted()
    {
        if (_uncommitted.Count == 0)
        {
            return;
        }

        var committedAt = _time.GetUtcNow().UtcDateTime;
        foreach (var timestamp in _uncommitted)
        {
            var latency = committedAt - timestamp;
            Progress.Latency.Record(latency.TotalMilliseconds);
            metrics.EventLatency.Record(latency.TotalSeconds, PipelineTag);
        }

        _uncommitted.Clear();
    }
}
