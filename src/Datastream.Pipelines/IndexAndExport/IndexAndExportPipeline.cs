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
/// DAG#2: ConsumeKafka → TransformJSON → PutElasticSearch + PutGCP, exactly once in every output. Each batch is
/// flattened, buffered into the lake and handed to the index, which upserts it behind the pipeline (keyed by ride_id: a
/// replay rewrites the same documents; see <see cref="IndexWriteBehind"/>); its dead letters are held. At a commit (the lake rolls, the held dead letters grow large, the pipeline is
/// idle, paused or stopping) the lake stages the buffered rows, then one unit of work of the log produces the held
/// dead letters and commits the offsets they and the rows came from (one SQLite transaction; one Kafka transaction with
/// SendOffsetsToTransaction), fenced so that a member that lost a partition cannot commit; only then are the staged
/// files published. A partition's next owner recovers what a crash left between the commit and the publish (see
/// <see cref="IRideLake"/>). A result the index refuses for good goes to rides_dlq as sink_rejected. The loop around
/// the batches (retry with backoff, pause, idle, stop) is the <see cref="PipelineRunner"/>'s.
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
        var consumer = new ConsumerSpec(settings.Group, [settings.Topics.Result]) { Transactional = true, MaxPollBytes = settings.MaxBatchBytes };
        var runnerSettings = new RunnerSettings(Name, consumer, settings.Topics.Result, OutputTopic: null, settings.Topics.Dlq)
        {
            BatchSize = settings.BatchSize,
            PollWait = settings.PollWait,
            Retry = new Backoff(settings.MinRetryDelay, settings.MaxRetryDelay),
        };
        // Built with the pipeline, so that their write counters are exported at 0 before the first batch (SPEC §7).
        var indexSink = Sink.Of(metrics, TaskNames.PutElasticSearch, $"the {index.Engine} index", "index", index.Engine, refuses: true);
        var lakeSink = Sink.Of(metrics, TaskNames.PutGcp, $"the lake {lake.Location}", "lake", LakeEngine(lake), refuses: false);
        Runner = new PipelineRunner(log, runnerSettings,
            (consumer, progress) =>
            {
                LogStarted(logger, Name, TaskNames.ConsumeKafka, settings.Topics.Result, TaskNames.TransformJson, TaskNames.PutElasticSearch, index.Engine, TaskNames.PutGcp, lake.Location);
                return new Batches(consumer, index, lake, settings, progress, indexSink, lakeSink, logger, time);
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

    /// <summary>
    /// A sink as errors name it (its task and what it is) and its series of datastream_sink_writes_total, labelled by
    /// sink, engine and outcome: ok, error (a write that threw, retried) and, for a sink that can refuse a document
    /// for good (the index), rejected.
    /// </summary>
    private sealed record Sink(string Task, string Name, CounterSeries Ok, CounterSeries Error, CounterSeries? Rejected)
    {
        public static Sink Of(DatastreamMetrics metrics, string task, string name, string sink, string engine, bool refuses)
        {
            CounterSeries Outcome(string outcome) => metrics.SinkWrites.Series(new("sink", sink), new("engine", engine), new("outcome", outcome));
            return new Sink(task, name, Outcome("ok"), Outcome("error"), refuses ? Outcome("rejected") : null);
        }
    }

    /// <summary>One run's batches: index writes done, lake rows and dead letters held until the runner commits them.</summary>
    private sealed class Batches(
        ILogConsumer consumer,
        IRideIndexWriter index,
        IRideLake lake,
        IndexAndExportSettings settings,
        PipelineProgress progress,
        Sink indexSink,
        Sink lakeSink,
        ILogger logger,
        TimeProvider time) : IBatchHandler
    {
        /// <summary>Per partition, the offsets [start, end) of the records handled since the last commit.</summary>
        private readonly Dictionary<TopicPartition, (long Start, long End)> _held = [];
        private readonly List<OutgoingRecord> _heldDeadLetters = [];
        private readonly HashSet<TopicPartition> _recovered = [];
        /// <summary>Batches handed to the index and not settled yet, oldest first.</summary>
        private readonly Queue<IndexWrite> _indexWrites = new();

        /// <summary>
        /// The lists of settled index writes, for the next batches: at ~120 bytes per ride each batch's list is a large
        /// array, and a new one per batch kept the large-object heap growing between full collections.
        /// </summary>
        private readonly Stack<IndexWrite> _settled = new();

        private const int MaxSpareLists = 4;
        private readonly IndexWriteBehind _writeBehind = new(rides => index.UpsertAsync(rides, CancellationToken.None), progress.Stages, time);
        private long _heldDeadLetterBytes;
        private DateTime? _heldSinceUtc;

        /// <summary>Staged files whose offsets were committed but which are not published yet (the publish failed): committed work, kept across a rewind.</summary>
        private LakeStaging? _unpublished;

        public async ValueTask<BatchOutcome> HandleAsync(IReadOnlyList<LogRecord> records, CancellationToken stop)
        {
            DateTime agentTimestamp = time.GetUtcNow().UtcDateTime;
            await RecoverLakeAsync(records);
            var stages = progress.Stages;
            long started = StageTimes.Start();
            var (rides, sources) = _settled.TryPop(out var spare) ? (spare.Rides, spare.Sources) : (new List<FlatRide>(records.Count), new List<LogRecord>(records.Count));
            var deadLetters = new List<OutgoingRecord>();
            var dlqCounts = new long[Enum.GetValues<RejectionKind>().Length];
            foreach (var record in records)
            {
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

            started = stages.Add(PipelineStages.Flatten, started);
            for (int i = 0; i < rides.Count; i++)
            {
                // PutGCP: the lake keeps every valid ride, also one the index refuses (the DLQ says which).
                lake.Add(sources[i].Partition, sources[i].Offset, rides[i]);
            }

            // Held, not produced: they go out in the unit of work that commits their offsets, so never twice.
            Hold(deadLetters);
            foreach (var record in records)
            {
                _held[record.TopicPartition] = _held.TryGetValue(record.TopicPartition, out var range) ? (range.Start, record.Offset + 1) : (record.Offset, record.Offset + 1);
            }

            _heldSinceUtc ??= agentTimestamp;
            started = stages.Add(PipelineStages.LakeBuffer, started);
            // A row group at a time, as rows arrive, rather than a whole file at the roll: the loop never stops long.
            await WriteToSinkAsync(lakeSink, async () =>
            {
                await lake.WriteAheadAsync(CancellationToken.None);
                return true;
            });
            started = stages.Add(PipelineStages.LakeEncode, started);

            // PutElasticSearch, behind: the index writes while the next batches are read, flattened and buffered.
            // Settled (refusals held as dead letters) as the writes finish, and all of them before any commit.
            if (rides.Count > 0)
            {
                var write = new IndexWrite(rides, sources, agentTimestamp);
                _writeBehind.Add(write);
                _indexWrites.Enqueue(write);
            }
            else if (spare is not null)
            {
                _settled.Push(spare);
            }

            while (_indexWrites.Count > 0 && (_indexWrites.Peek().Done.IsCompleted || _writeBehind.UnwrittenRides > settings.MaxUnindexedRides))
            {
                await SettleOldestIndexWriteAsync(dlqCounts);
            }

            stages.Add(PipelineStages.IndexWait, started);
            return new BatchOutcome(rides.Count, dlqCounts, Committed: false);
        }

        /// <summary>
        /// Waits for the oldest index write in flight: its refusals become held sink_rejected dead letters (counted into
        /// <paramref name="dlqCounts"/>), its rides count as indexed. Throws what the write threw (the batch fails).
        /// </summary>
        private async ValueTask SettleOldestIndexWriteAsync(long[] dlqCounts)
        {
            var write = _indexWrites.Peek();
            var rejected = await WriteToSinkAsync(indexSink, () => new ValueTask<IReadOnlyList<IndexRejection>>(write.Done));
            _indexWrites.Dequeue();
            var rides = write.Rides;
            indexSink.Ok.Add(rides.Count - rejected.Count);
            if (rejected.Count > 0)
            {
                indexSink.Rejected!.Add(rejected.Count);
                var refused = rejected.ToDictionary(r => r.RideId, r => r.Reason);
                var deadLetters = new List<OutgoingRecord>(rejected.Count);
                for (int i = 0; i < rides.Count; i++)
                {
                    if (refused.TryGetValue(rides[i].RideId, out string? reason))
                    {
                        deadLetters.Add(DeadLetter(write.Sources[i], new Rejection(RejectionKind.SinkRejected, "$", $"{TaskNames.PutElasticSearch}: {reason}"), write.AgentTimestamp));
                        dlqCounts[(int)RejectionKind.SinkRejected]++;
                        LogRejectedByIndex(logger, Name, TaskNames.PutElasticSearch, rides[i].RideId, settings.Topics.Dlq, reason);
                    }
                }

                Hold(deadLetters);
            }

            foreach (var ride in rides)
            {
                progress.RideToIndexed.Record((write.IndexedAtUtc - ride.TsUtc).TotalMilliseconds);
            }

            progress.AddIndexed(rides.Count - rejected.Count);
            if (_settled.Count < MaxSpareLists)
            {
                rides.Clear();
                write.Sources.Clear();
                _settled.Push(write);
            }
        }

        private void Hold(List<OutgoingRecord> deadLetters)
        {
            foreach (var deadLetter in deadLetters)
            {
                _heldDeadLetters.Add(deadLetter);
                _heldDeadLetterBytes += deadLetter.Value.Length;
            }
        }

        public bool IsCommitDue(DateTime nowUtc) =>
            lake.ShouldFlush(nowUtc)
            || _heldDeadLetterBytes >= settings.HeldDeadLetterMaxBytes
            || nowUtc - _heldSinceUtc >= settings.MaxHoldTime;

        /// <summary>
        /// Stages the lake rows, commits dead letters and offsets in one unit of work, then publishes the staged files.
        /// A failure before the commit leaves nothing visible (the runner rewinds and the records are read again); a
        /// publish that fails after it is retried at the next commit, or done by the partition's next owner.
        /// </summary>
        public async ValueTask<long[]?> CommitAsync()
        {
            // The index writes in flight first: their refusals are dead letters of this commit.
            long[]? settled = null;
            if (_indexWrites.Count > 0)
            {
                long waiting = StageTimes.Start();
                settled = new long[Enum.GetValues<RejectionKind>().Length];
                while (_indexWrites.Count > 0)
                {
                    await SettleOldestIndexWriteAsync(settled);
                }

                progress.Stages.Add(PipelineStages.IndexWait, waiting);
            }

            if (_unpublished is not null)
            {
                await PublishAsync(_unpublished);
            }

            if (_held.Count == 0)
            {
                return settled;
            }

            var ranges = _held.Select(h => new LakeCommitRange(h.Key.Partition, h.Value.Start, h.Value.End)).ToList();
            long started = StageTimes.Start();
            var staging = await WriteToSinkAsync(lakeSink, () => lake.StageAsync(ranges, CancellationToken.None));
            started = progress.Stages.Add(PipelineStages.LakeStage, started);
            await using (var unit = consumer.BeginUnitOfWork())
            {
                foreach (var deadLetter in _heldDeadLetters)
                {
                    unit.Append(deadLetter.Topic, deadLetter.Key.Span, deadLetter.Value.Span);
                }

                unit.CommitOffsets(_held.Select(h => new TopicPartitionOffset(h.Key.Topic, h.Key.Partition, h.Value.End)).ToList());
                // Fenced: throws PartitionsLostException when another member owns a partition now; nothing is written then.
                await unit.CommitAsync(CancellationToken.None);
            }

            started = progress.Stages.Add(PipelineStages.Commit, started);
            ClearHeld();
            _unpublished = staging;
            await PublishAsync(staging);
            progress.Stages.Add(PipelineStages.LakePublish, started);
            return settled;
        }

        public void Discard()
        {
            // A write running goes on (it cannot be recalled, and upserts are idempotent: the rewind writes the same
            // rides again, after it); queued ones are dropped, and no outcome is this run's any more.
            _writeBehind.Abandon();
            _indexWrites.Clear();
            lake.DiscardBuffered();
            ClearHeld();
            // A partition is recovered again before its next row: its committed offset may have moved meanwhile.
            _recovered.Clear();
        }

        public async ValueTask DisposeAsync()
        {
            // No write may reach the index after the run: the index is closed after its pipelines.
            await _writeBehind.WhenIdleAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            LogStopped(logger, Name, progress.Consumed, progress.Indexed, progress.LakeRows, progress.LakeFiles, progress.Dlq);
        }

        /// <summary>
        /// Before the first row of a partition since it was (re)assigned: what a crash left in the lake's staging is
        /// published (the committed range) or removed (writers that never committed, or were fenced).
        /// </summary>
        private async ValueTask RecoverLakeAsync(IReadOnlyList<LogRecord> records)
        {
            var fresh = records.Select(r => r.TopicPartition).Where(p => !_recovered.Contains(p)).Distinct().ToList();
            if (fresh.Count == 0)
            {
                return;
            }

            var committed = await consumer.GetCommittedAsync(fresh, CancellationToken.None);
            foreach (var partition in fresh)
            {
                long? offset = committed.TryGetValue(partition, out long next) ? next : null;
                var recovery = await WriteToSinkAsync(lakeSink, () => lake.RecoverAsync(partition.Partition, offset, CancellationToken.None));
                if (recovery.Published > 0 || recovery.Removed > 0)
                {
                    LogLakeRecovered(logger, Name, TaskNames.PutGcp, partition, offset, recovery.Published, recovery.Removed);
                }

                _recovered.Add(partition);
            }
        }

        private async ValueTask PublishAsync(LakeStaging staging)
        {
            var flush = await WriteToSinkAsync(lakeSink, () => lake.PublishAsync(staging, CancellationToken.None));
            _unpublished = null;
            progress.AddLakeFlush(flush.Rows, flush.Files);
            lakeSink.Ok.Add(flush.Files);
        }

        private void ClearHeld()
        {
            _held.Clear();
            _heldDeadLetters.Clear();
            _heldDeadLetterBytes = 0;
            _heldSinceUtc = null;
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

        /// <summary>
        /// Counts a sink write that threw (the batch is then retried) in datastream_sink_writes_total{outcome="error"},
        /// and names the sink in the error, which is the reason the pipeline shows while it retries.
        /// </summary>
        private async Task<T> WriteToSinkAsync<T>(Sink sink, Func<ValueTask<T>> write)
        {
            try
            {
                return await write();
            }
            catch (Exception error) when (error is not (OperationCanceledException or OutOfMemoryException))
            {
                sink.Error.Add(1);
                throw new SinkFailedException(sink.Task, sink.Name, error);
            }
        }
    }
}
