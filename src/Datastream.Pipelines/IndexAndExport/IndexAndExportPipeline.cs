using System.Buffers;
using System.Diagnostics;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.Lake;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.IndexAndExport;

/// <summary>
/// DAG#2: ConsumeKafka → TransformJSON → PutElasticSearch + PutGCP, at least once into idempotent sinks. Each batch
/// is flattened and upserted into the index (keyed by ride_id) and buffered into the lake; offsets are committed
/// only after the lake has made the buffered rows visible, so a crash re-reads from the last point where both sinks
/// held everything. Lake files are named by source offsets, and files of an uncommitted flush are removed when a
/// partition is (re)assigned, so a replay leaves each ride once in the lake too. A sink that fails is retried with
/// backoff; nothing is committed past unwritten data. A result the index refuses for good goes to rides_dlq as
/// sink_rejected.
/// </summary>
public sealed class IndexAndExportPipeline(
    ILog log,
    IRideIndexWriter index,
    IRideLake lake,
    IndexAndExportSettings settings,
    DatastreamMetrics metrics,
    ILogger<IndexAndExportPipeline> logger,
    TimeProvider? timeProvider = null)
{
    public const string Name = "index-and-export";

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly Dictionary<TopicPartition, long> uncommitted = [];
    private readonly HashSet<TopicPartition> cleaned = [];

    public PipelineProgress Progress { get; } = new();

    public PauseSwitch Pause { get; } = new();

    /// <summary>Runs until stopped (the batch in hand is finished and flushed first), or until idle when <paramref name="untilIdle"/> says so.</summary>
    public async Task RunAsync(Func<bool>? untilIdle, CancellationToken stop)
    {
        await using var consumer = log.CreateConsumer(new ConsumerSpec(settings.Group, [settings.Topics.Result]));
        await using var dlqProducer = log.CreateProducer();
        metrics.TrackLag(Name, () => Progress.Lag);
        metrics.TrackPaused(Name, () => Pause.IsPaused);
        var assignment = new AssignmentReport(Name, logger);
        var retry = new RetryDelay(settings.MinRetryDelay, settings.MaxRetryDelay);
        Progress.State = PipelineState.Running;
        logger.LogInformation("{Pipeline} started: {Consume} {Result} → {Transform} → {Index} ({IndexEngine}) + {Lake} ({LakeLocation})", Name,
            TaskNames.ConsumeKafka, settings.Topics.Result, TaskNames.TransformJson, TaskNames.PutElasticSearch, index.Engine, TaskNames.PutGcp, lake.Location);

        while (!stop.IsCancellationRequested)
        {
            if (Pause.IsPaused)
            {
                // Make the buffered rows visible and commit them, so a long pause holds nothing back and a member
                // that takes the partitions over meanwhile starts from where this one really stopped.
                try
                {
                    await FlushAndCommitAsync(consumer);
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    logger.LogWarning("{Pipeline}: flush before pausing failed ({Message}); those rows will be read again", Name, error.Message);
                    await RewindAsync(consumer);
                }

                if (!await Progress.WaitWhilePausedAsync(Name, Pause, consumer, logger, stop))
                {
                    break;
                }
            }

            IReadOnlyList<LogRecord> records;
            try
            {
                records = await consumer.PollAsync(settings.BatchSize, settings.PollWait, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            try
            {
                if (assignment.Update(consumer).Count > 0)
                {
                    // Buffered rows of a partition we no longer own must not reach the lake: its new owner re-reads
                    // them from the committed offset. Start over from ours too.
                    await RewindAsync(consumer);
                    continue;
                }

                if (records.Count == 0)
                {
                    // Idle input: make what is buffered visible now rather than at the roll interval.
                    await FlushAndCommitAsync(consumer);
                    var lag = await Progress.RefreshLagAsync(consumer, now: true);
                    Progress.State = lag.All(l => l.Lag == 0) ? PipelineState.Idle : PipelineState.Running;
                    if (untilIdle is not null && untilIdle() && await InputDrain.IsCompleteAsync(log, consumer, lag, settings.Topics.Result, settings.Group))
                    {
                        break;
                    }

                    continue;
                }

                Progress.State = PipelineState.Running;
                await ProcessAsync(records, consumer, dlqProducer);
                if (lake.ShouldFlush(time.GetUtcNow().UtcDateTime))
                {
                    await FlushAndCommitAsync(consumer);
                }

                retry.Reset();
            }
            catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                Progress.AddFailedBatch();
                Progress.LastError = error.Message;
                if (error is PartitionsLostException)
                {
                    logger.LogWarning("{Pipeline}: {Message}; re-reading from the committed offsets", Name, error.Message);
                }
                else
                {
                    Progress.State = PipelineState.Retrying;
                    logger.LogError(error, "{Pipeline}: batch failed, nothing committed past it; retrying in {Delay}", Name, retry.Next);
                    await retry.WaitAsync(stop);
                }

                await RewindAsync(consumer);
                continue;
            }

            await Progress.RefreshLagAsync(consumer, now: false);
        }

        // A graceful stop keeps what was done: flush and commit it (best effort; a failure is re-read next time).
        try
        {
            await FlushAndCommitAsync(consumer);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            logger.LogWarning("{Pipeline}: final flush failed ({Message}); the rows will be read again on restart", Name, error.Message);
        }

        Progress.State = PipelineState.Stopped;
        logger.LogInformation("{Pipeline} stopped after {Consumed} records: {Indexed} indexed, {LakeRows} lake rows in {LakeFiles} files, {Dlq} dead letters",
            Name, Progress.Consumed, Progress.Indexed, Progress.LakeRows, Progress.LakeFiles, Progress.Dlq);
    }

    private async Task ProcessAsync(IReadOnlyList<LogRecord> records, ILogConsumer consumer, ILogProducer dlqProducer)
    {
        var started = Stopwatch.GetTimestamp();
        DateTime agentTimestamp = time.GetUtcNow().UtcDateTime;
        var rides = new List<FlatRide>(records.Count);
        var sources = new List<LogRecord>(records.Count);
        var deadLetters = new List<OutgoingRecord>();
        var dlqCounts = new long[Enum.GetValues<RejectionKind>().Length];
        foreach (var record in records)
        {
            if (cleaned.Add(record.TopicPartition))
            {
                // First record of a partition since it was (re)assigned: its offset is the committed one, and any lake
                // file from that offset on belongs to a flush that was never committed.
                int removed = await lake.RemoveUncommittedAsync(record.Partition, record.Offset, CancellationToken.None);
                if (removed > 0)
                {
                    logger.LogInformation("{Pipeline} {Task}: removed {Count} lake files of {Partition} from offset {Offset} on, left by an uncommitted flush",
                        Name, TaskNames.PutGcp, removed, record.TopicPartition, record.Offset);
                }
            }

            // TransformJSON
            if (TryFlatten(record, agentTimestamp, out var ride, out var rejection))
            {
                rides.Add(ride);
                sources.Add(record);
            }
            else
            {
                deadLetters.Add(DeadLetter(record, rejection, agentTimestamp));
                dlqCounts[(int)rejection.Kind]++;
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    logger.LogDebug("{Pipeline} dead letter {Topic}[{Partition}]@{Offset} ride {ride_id}: {Rejection}", Name, record.Topic, record.Partition, record.Offset,
                        RideIdProbe.Find(record.Value), rejection);
                }
            }
        }

        // PutElasticSearch: throws when the index is down; the whole batch is then redone after a rewind.
        var rejected = rides.Count == 0 ? [] : await WriteToSinkAsync(TaskNames.PutElasticSearch, () => index.UpsertAsync(rides, CancellationToken.None));
        metrics.SinkWrites.Add(rides.Count - rejected.Count, Sink(TaskNames.PutElasticSearch), Outcome("ok"));
        var refused = rejected.ToDictionary(r => r.RideId, r => r.Reason);
        if (rejected.Count > 0)
        {
            metrics.SinkWrites.Add(rejected.Count, Sink(TaskNames.PutElasticSearch), Outcome("rejected"));
        }

        var rejectedPositions = new List<int>(rejected.Count);
        DateTime indexedAt = time.GetUtcNow().UtcDateTime;
        for (int i = 0; i < rides.Count; i++)
        {
            var ride = rides[i];
            if (refused.TryGetValue(ride.RideId, out string? reason))
            {
                rejectedPositions.Add(i);
                deadLetters.Add(DeadLetter(sources[i], new Rejection(RejectionKind.SinkRejected, "$", $"{TaskNames.PutElasticSearch}: {reason}"), agentTimestamp));
                dlqCounts[(int)RejectionKind.SinkRejected]++;
            }

            Progress.Latency.Record((indexedAt - ride.TsUtc).TotalMilliseconds);
            // PutGCP: the lake keeps every valid ride, also one the index refused (the DLQ says which).
            lake.Add(sources[i].Partition, sources[i].Offset, ride);
        }

        if (deadLetters.Count > 0)
        {
            await dlqProducer.ProduceAsync(deadLetters, CancellationToken.None);
        }

        foreach (int i in rejectedPositions)
        {
            logger.LogWarning("{Pipeline} {Task}: ride {ride_id} rejected by the index for good, sent to {Dlq}: {Reason}",
                Name, TaskNames.PutElasticSearch, rides[i].RideId, settings.Topics.Dlq, refused[rides[i].RideId]);
        }

        foreach (var record in records)
        {
            uncommitted[record.TopicPartition] = record.Offset + 1;
        }

        Progress.AddIndexed(rides.Count - rejected.Count);
        Progress.AddBatch(records.Count, rides.Count, dlqCounts);
        var pipelineTag = new KeyValuePair<string, object?>("pipeline", Name);
        metrics.RecordsConsumed.Add(records.Count, pipelineTag, new KeyValuePair<string, object?>("topic", settings.Topics.Result));
        long dlqTotal = metrics.AddDeadLetters(Name, dlqCounts);
        if (dlqTotal > 0)
        {
            // Like compute-cost: every record a pipeline writes to a topic is counted where it was written.
            metrics.RecordsProduced.Add(dlqTotal, pipelineTag, new KeyValuePair<string, object?>("topic", settings.Topics.Dlq));
        }

        foreach (var ride in rides)
        {
            metrics.EventLatency.Record((indexedAt - ride.TsUtc).TotalSeconds, pipelineTag);
        }

        metrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, pipelineTag);
    }

    /// <summary>PutGCP: makes the buffered rows visible, then commits the offsets they came from.</summary>
    private async Task FlushAndCommitAsync(ILogConsumer consumer)
    {
        if (lake.BufferedRows > 0)
        {
            var flush = await WriteToSinkAsync(TaskNames.PutGcp, () => lake.FlushAsync(CancellationToken.None));
            Progress.AddLakeFlush(flush.Rows, flush.Files);
            metrics.SinkWrites.Add(flush.Files, Sink(TaskNames.PutGcp), Outcome("ok"));
        }

        if (uncommitted.Count > 0)
        {
            await consumer.CommitAsync(uncommitted.Select(u => new TopicPartitionOffset(u.Key.Topic, u.Key.Partition, u.Value)).ToList(), CancellationToken.None);
            uncommitted.Clear();
        }
    }

    private async Task RewindAsync(ILogConsumer consumer)
    {
        lake.DiscardBuffered();
        uncommitted.Clear();
        cleaned.Clear();
        await consumer.RewindToCommittedAsync(CancellationToken.None);
    }

    /// <summary>TransformJSON on one record, isolated: an exception it throws makes that record an "internal" dead letter, never a failed batch.</summary>
    private bool TryFlatten(LogRecord record, DateTime agentTimestamp, out FlatRide ride, out Rejection rejection)
    {
        try
        {
            return TransformJson.TryFlatten(record.Value, agentTimestamp, settings.Limits, out ride, out rejection);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            ride = default;
            rejection = Rejection.Internal(error);
            logger.LogWarning(error, "{Pipeline} {Task}: unexpected error on {Topic}[{Partition}]@{Offset}, sent to {Dlq} as internal", Name,
                TaskNames.TransformJson, record.Topic, record.Partition, record.Offset, settings.Topics.Dlq);
            return false;
        }
    }

    private OutgoingRecord DeadLetter(LogRecord record, Rejection rejection, DateTime failedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + Math.Min(record.Value.Length * 2, settings.DeadLetterMaxBytes));
        DlqEnvelope.Write(buffer, Name, rejection, new SourceRecordRef(record.Topic, record.Partition, record.Offset, record.TimestampUtc), record.Value, failedAt,
            settings.DeadLetterMaxBytes);
        return new OutgoingRecord(settings.Topics.Dlq, DeadLetterKey.For(record.Key), buffer.WrittenMemory);
    }

    /// <summary>Counts a sink write that threw (the batch is then retried) in datastream_sink_writes_total{outcome="error"}.</summary>
    private async Task<T> WriteToSinkAsync<T>(string sink, Func<ValueTask<T>> write)
    {
        try
        {
            return await write();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            metrics.SinkWrites.Add(1, Sink(sink), Outcome("error"));
            throw;
        }
    }

    private static KeyValuePair<string, object?> Sink(string name) => new("sink", name);

    private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
