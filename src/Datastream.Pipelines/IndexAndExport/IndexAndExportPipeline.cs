using System.Buffers;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.Lake;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Resilience;
using Datastream.Pipelines.Running;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.IndexAndExport;

/// <summary>
/// DAG#2: ConsumeKafka → TransformJSON → PutElasticSearch + PutGCP, at least once into idempotent sinks. Each batch
/// is flattened and upserted into the index (keyed by ride_id) and buffered into the lake; offsets are committed
/// only after the lake has made the buffered rows visible, so a crash re-reads from the last point where both sinks
/// held everything. Lake files are named by source offsets, and files of an uncommitted flush are removed when a
/// partition is (re)assigned, so a replay leaves each ride once in the lake too. A result the index refuses for
/// good goes to rides_dlq as sink_rejected. The loop around the batches (retry with backoff, pause, idle, stop) is
/// the <see cref="PipelineRunner"/>'s; it commits the buffered rows when the lake rolls, and when idle, paused or stopped.
/// </summary>
public sealed partial class IndexAndExportPipeline
{
    public const string Name = "index-and-export";

    public IndexAndExportPipeline(
        ILog log,
        IRideIndexWriter index,
        IRideLake lake,
        IndexAndExportSettings settings,
        DatastreamMetrics metrics,
        ILogger<IndexAndExportPipeline> logger,
        TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var runnerSettings = new RunnerSettings(Name, new ConsumerSpec(settings.Group, [settings.Topics.Result]), settings.Topics.Result, OutputTopic: null, settings.Topics.Dlq)
        {
            BatchSize = settings.BatchSize,
            PollWait = settings.PollWait,
            Retry = new Backoff(settings.MinRetryDelay, settings.MaxRetryDelay),
        };
        Runner = new PipelineRunner(log, runnerSettings,
            (consumer, progress) =>
            {
                LogStarted(logger, Name, TaskNames.ConsumeKafka, settings.Topics.Result, TaskNames.TransformJson, TaskNames.PutElasticSearch, index.Engine, TaskNames.PutGcp, lake.Location);
                return new Batches(consumer, log.CreateProducer(), index, lake, settings, progress, metrics, logger, time);
            }, metrics, logger, time);
    }

    /// <summary>The loop running this pipeline; also a hosted service.</summary>
    public PipelineRunner Runner { get; }

    public PipelineProgress Progress => Runner.Progress;

    public PauseSwitch Pause => Runner.Pause;

    /// <inheritdoc cref="PipelineRunner.RunAsync"/>
    public Task RunAsync(Func<bool>? untilIdle, CancellationToken stop) => Runner.RunAsync(untilIdle, stop);

    /// <summary>
    /// The lake engine, for the sink metric's <c>engine</c> label: the lake names itself only by its location, and a
    /// bucket is the one location that is not a local directory.
    /// </summary>
    private static string LakeEngine(IRideLake lake) => lake.Location.StartsWith("gs://", StringComparison.Ordinal) ? "gcs" : "local";

    /// <summary>One run's batches: index writes and lake rows held until the runner commits them.</summary>
    private sealed class Batches(
        ILogConsumer consumer,
        ILogProducer dlqProducer,
        IRideIndexWriter index,
        IRideLake lake,
        IndexAndExportSettings settings,
        PipelineProgress progress,
        DatastreamMetrics metrics,
        ILogger logger,
        TimeProvider time) : IBatchHandler
    {
        private readonly Dictionary<TopicPartition, long> _uncommitted = [];
        private readonly HashSet<TopicPartition> _cleaned = [];
        private readonly KeyValuePair<string, object?>[] _indexSink = [new("sink", "index"), new("engine", index.Engine)];
        private readonly KeyValuePair<string, object?>[] _lakeSink = [new("sink", "lake"), new("engine", LakeEngine(lake))];

        public async ValueTask<BatchOutcome> HandleAsync(IReadOnlyList<LogRecord> records, CancellationToken stop)
        {
            DateTime agentTimestamp = time.GetUtcNow().UtcDateTime;
            var rides = new List<FlatRide>(records.Count);
            var sources = new List<LogRecord>(records.Count);
            var deadLetters = new List<OutgoingRecord>();
            var dlqCounts = new long[Enum.GetValues<RejectionKind>().Length];
            foreach (var record in records)
            {
                if (_cleaned.Add(record.TopicPartition))
                {
                    // First record of a partition since it was (re)assigned: its offset is the committed one, and any
                    // lake file from that offset on belongs to a flush that was never committed.
                    int removed = await lake.RemoveUncommittedAsync(record.Partition, record.Offset, CancellationToken.None);
                    if (removed > 0)
                    {
                        LogUncommittedFilesRemoved(logger, Name, TaskNames.PutGcp, removed, record.TopicPartition, record.Offset);
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
                        LogDeadLetter(logger, Name, record.Topic, record.Partition, record.Offset, RideIdProbe.Find(record.Value), rejection);
                    }
                }
            }

            // PutElasticSearch: throws when the index is down; the runner then redoes the whole batch after a rewind.
            var rejected = rides.Count == 0 ? [] : await WriteToSinkAsync(_indexSink, () => index.UpsertAsync(rides, CancellationToken.None));
            metrics.SinkWrites.Add(rides.Count - rejected.Count, [.. _indexSink, Outcome("ok")]);
            var refused = rejected.ToDictionary(r => r.RideId, r => r.Reason);
            if (rejected.Count > 0)
            {
                metrics.SinkWrites.Add(rejected.Count, [.. _indexSink, Outcome("rejected")]);
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

                progress.RideToIndexed.Record((indexedAt - ride.TsUtc).TotalMilliseconds);
                // PutGCP: the lake keeps every valid ride, also one the index refused (the DLQ says which).
                lake.Add(sources[i].Partition, sources[i].Offset, ride);
            }

            if (deadLetters.Count > 0)
            {
                await dlqProducer.ProduceAsync(deadLetters, CancellationToken.None);
            }

            foreach (int i in rejectedPositions)
            {
                LogRejectedByIndex(logger, Name, TaskNames.PutElasticSearch, rides[i].RideId, settings.Topics.Dlq, refused[rides[i].RideId]);
            }

            foreach (var record in records)
            {
                _uncommitted[record.TopicPartition] = record.Offset + 1;
            }

            progress.AddIndexed(rides.Count - rejected.Count);
            return new BatchOutcome(rides.Count, dlqCounts, Committed: false);
        }

        public bool IsCommitDue(DateTime nowUtc) => lake.ShouldFlush(nowUtc);

        /// <summary>PutGCP: makes the buffered rows visible, then commits the offsets they came from.</summary>
        public async ValueTask CommitAsync()
        {
            if (lake.BufferedRows > 0)
            {
                var flush = await WriteToSinkAsync(_lakeSink, () => lake.FlushAsync(CancellationToken.None));
                progress.AddLakeFlush(flush.Rows, flush.Files);
                metrics.SinkWrites.Add(flush.Files, [.. _lakeSink, Outcome("ok")]);
            }

            if (_uncommitted.Count > 0)
            {
                await consumer.CommitAsync(_uncommitted.Select(u => new TopicPartitionOffset(u.Key.Topic, u.Key.Partition, u.Value)).ToList(), CancellationToken.None);
                _uncommitted.Clear();
            }
        }

        public void Discard()
        {
            lake.DiscardBuffered();
            _uncommitted.Clear();
            _cleaned.Clear();
        }

        public async ValueTask DisposeAsync()
        {
            await dlqProducer.DisposeAsync();
            LogStopped(logger, Name, progress.Consumed, progress.Indexed, progress.LakeRows, progress.LakeFiles, progress.Dlq);
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
                LogInternalError(logger, Name, TaskNames.TransformJson, record.Topic, record.Partition, record.Offset, RideIdProbe.Find(record.Value), settings.Topics.Dlq, error);
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
        private async Task<T> WriteToSinkAsync<T>(KeyValuePair<string, object?>[] sink, Func<ValueTask<T>> write)
        {
            try
            {
                return await write();
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                metrics.SinkWrites.Add(1, [.. sink, Outcome("error")]);
                throw;
            }
        }

        private static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
    }
}
