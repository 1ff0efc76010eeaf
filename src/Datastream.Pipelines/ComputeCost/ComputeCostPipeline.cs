using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.ComputeCost;

/// <summary>
/// DAG#1: ConsumeKafka → ComputeCostTravel → PublishKafka, exactly once. Each batch's results, dead letters and
/// consumed offsets are committed in one unit of work of the log, so a crash at any point either keeps the whole
/// batch or none of it, and the batch is redone from the committed offsets. Several instances may run: they share
/// the partitions of rides_raw through the consumer group.
/// </summary>
public sealed class ComputeCostPipeline(
    ILog log,
    ComputeCostSettings settings,
    DatastreamMetrics metrics,
    ILogger<ComputeCostPipeline> logger,
    TimeProvider? timeProvider = null)
{
    public const string Name = "compute-cost";

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public PipelineProgress Progress { get; } = new();

    public PauseSwitch Pause { get; } = new();

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled (the current batch is finished and committed first), or,
    /// when <paramref name="untilIdle"/> returns true, until every assigned partition is consumed to its end.
    /// </summary>
    public async Task RunAsync(Func<bool>? untilIdle, CancellationToken stop)
    {
        await using var consumer = log.CreateConsumer(new ConsumerSpec(settings.Group, [settings.Topics.Raw]) { Transactional = true });
        metrics.TrackLag(Name, () => Progress.Lag);
        metrics.TrackPaused(Name, () => Pause.IsPaused);
        var transform = new ComputeCostTravel(settings.Transform);
        var results = new RideResultBuffer();
        var dlqBuffer = new ArrayBufferWriter<byte>(4096);
        var nextOffsets = new Dictionary<TopicPartition, long>();
        var dlqCounts = new long[Enum.GetValues<RejectionKind>().Length];
        var retryDelay = new RetryDelay(settings.MinRetryDelay, settings.MaxRetryDelay);
        var assignment = new AssignmentReport(Name, logger);
        var keyBuffer = new byte[36];
        Progress.State = PipelineState.Running;
        logger.LogInformation("{Pipeline} started: {Consume} {Raw} → {Compute} → {Publish} {Result} / {Dlq}", Name,
            TaskNames.ConsumeKafka, settings.Topics.Raw, TaskNames.ComputeCostTravel, TaskNames.PublishKafka, settings.Topics.Result, settings.Topics.Dlq);

        while (!stop.IsCancellationRequested)
        {
            // Every batch is committed when it ends, so there is nothing to settle before pausing.
            if (Pause.IsPaused && !await Progress.WaitWhilePausedAsync(Name, Pause, consumer, logger, stop))
            {
                break;
            }

            IReadOnlyList<LogRecord> records;
            try
            {
                // ConsumeKafka
                records = await consumer.PollAsync(settings.BatchSize, settings.PollWait, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            assignment.Update(consumer);
            if (records.Count == 0)
            {
                var lag = await Progress.RefreshLagAsync(consumer, now: true);
                bool drained = lag.All(p => p.Lag == 0);
                Progress.State = drained ? PipelineState.Idle : PipelineState.Running;
                if (drained && untilIdle is not null && untilIdle() && await InputDrain.IsCompleteAsync(log, consumer, lag, settings.Topics.Raw, settings.Group))
                {
                    break;
                }

                continue;
            }

            var started = Stopwatch.GetTimestamp();
            Progress.State = PipelineState.Running;
            results.Clear();
            nextOffsets.Clear();
            Array.Clear(dlqCounts);
            long produced = 0;
            try
            {
                await using (var unit = consumer.BeginUnitOfWork())
                {
                    DateTime now = time.GetUtcNow().UtcDateTime;
                    foreach (var record in records)
                    {
                        // ComputeCostTravel
                        int first = results.Count;
                        if (TryTransform(transform, record, now, results, out var rejection))
                        {
                            // PublishKafka: rides_result, keyed by ride_id.
                            for (int i = first; i < results.Count; i++)
                            {
                                unit.Append(settings.Topics.Result, RideIdKey(results.RideId(i), keyBuffer), results.Value(i));
                            }

                            produced += results.Count - first;
                        }
                        else
                        {
                            dlqBuffer.ResetWrittenCount();
                            var source = new SourceRecordRef(record.Topic, record.Partition, record.Offset, record.TimestampUtc);
                            DlqEnvelope.Write(dlqBuffer, Name, rejection, source, record.Value, now, settings.DeadLetterMaxBytes);
                            unit.Append(settings.Topics.Dlq, DeadLetterKey.For(record.Key).Span, dlqBuffer.WrittenSpan);
                            dlqCounts[(int)rejection.Kind]++;
                            if (logger.IsEnabled(LogLevel.Debug))
                            {
                                logger.LogDebug("{Pipeline} dead letter {Topic}[{Partition}]@{Offset} ride {ride_id}: {Rejection}", Name, record.Topic, record.Partition, record.Offset,
                                    RideIdProbe.Find(record.Value), rejection);
                            }
                        }

                        nextOffsets[record.TopicPartition] = record.Offset + 1;
                    }

                    unit.CommitOffsets(nextOffsets.Select(kv => new TopicPartitionOffset(kv.Key.Topic, kv.Key.Partition, kv.Value)).ToList());
                    // Not cancellable: a batch that was computed is committed before a graceful stop.
                    await unit.CommitAsync(CancellationToken.None);
                }

                retryDelay.Reset();
            }
            catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                Progress.AddFailedBatch();
                Progress.LastError = error.Message;
                if (error is PartitionsLostException)
                {
                    // Another member owns these partitions now and will redo the batch; drop it and follow the new assignment.
                    logger.LogWarning("{Pipeline}: {Message}; the batch of {Count} records is left to the new owner", Name, error.Message, records.Count);
                }
                else
                {
                    Progress.State = PipelineState.Retrying;
                    logger.LogError(error, "{Pipeline}: batch of {Count} records failed, nothing committed; retrying in {Delay}", Name, records.Count, retryDelay.Next);
                    await retryDelay.WaitAsync(stop);
                }

                await consumer.RewindToCommittedAsync(CancellationToken.None);
                continue;
            }

            RecordBatch(records, produced, dlqCounts, started);
            await Progress.RefreshLagAsync(consumer, now: false);
        }

        Progress.State = PipelineState.Stopped;
        logger.LogInformation("{Pipeline} stopped after {Consumed} records: {Produced} results, {Dlq} dead letters", Name, Progress.Consumed, Progress.Produced, Progress.Dlq);
    }

    /// <summary>
    /// ComputeCostTravel on one record, isolated: an exception it throws (a bug, not the record's fault in any way the
    /// schema names) makes that record an "internal" dead letter instead of failing the batch, which would be retried
    /// forever. Only running out of memory is left to fail the batch: it is the process's state, not the record's.
    /// </summary>
    private bool TryTransform(ComputeCostTravel transform, LogRecord record, DateTime now, RideResultBuffer results, out Rejection rejection)
    {
        RideResultBuffer.Mark mark = results.Save();
        try
        {
            return transform.TryTransform(record.Value, record.TimestampUtc, now, results, out rejection);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            results.RollBack(mark);
            rejection = Rejection.Internal(error);
            logger.LogWarning(error, "{Pipeline} {Task}: unexpected error on {Topic}[{Partition}]@{Offset}, sent to {Dlq} as internal", Name,
                TaskNames.ComputeCostTravel, record.Topic, record.Partition, record.Offset, settings.Topics.Dlq);
            return false;
        }
    }

    private void RecordBatch(IReadOnlyList<LogRecord> records, long produced, long[] dlqCounts, long started)
    {
        var committedAt = time.GetUtcNow().UtcDateTime;
        foreach (var record in records)
        {
            double ms = (committedAt - record.TimestampUtc).TotalMilliseconds;
            Progress.Latency.Record(ms);
            metrics.EventLatency.Record(ms / 1000.0, new KeyValuePair<string, object?>("pipeline", Name));
        }

        Progress.AddBatch(records.Count, produced, dlqCounts);
        var pipelineTag = new KeyValuePair<string, object?>("pipeline", Name);
        metrics.RecordsConsumed.Add(records.Count, pipelineTag, new KeyValuePair<string, object?>("topic", settings.Topics.Raw));
        metrics.RecordsProduced.Add(produced, pipelineTag, new KeyValuePair<string, object?>("topic", settings.Topics.Result));
        long dlqTotal = metrics.AddDeadLetters(Name, dlqCounts);

        if (dlqTotal > 0)
        {
            metrics.RecordsProduced.Add(dlqTotal, pipelineTag, new KeyValuePair<string, object?>("topic", settings.Topics.Dlq));
        }

        metrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, pipelineTag);
    }

    /// <summary>The record key of a result: the ride_id as text, as the original design's Kafka producer wrote it.</summary>
    private static ReadOnlySpan<byte> RideIdKey(Guid rideId, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(rideId, destination, out int written, 'D');
        return destination[..written];
    }
}
