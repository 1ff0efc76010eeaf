using System.Buffers;
using System.Buffers.Text;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Resilience;
using Datastream.Pipelines.Running;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.ComputeCost;

/// <summary>
/// DAG#1: ConsumeKafka → ComputeCostTravel → PublishKafka, exactly once. Each batch's results, dead letters and
/// consumed offsets are committed in one unit of work of the log, so a crash at any point either keeps the whole
/// batch or none of it, and the batch is redone from the committed offsets. Several instances may run: they share
/// the partitions of rides_raw through the consumer group. The loop around the batches is the <see cref="PipelineRunner"/>'s.
/// </summary>
public sealed partial class ComputeCostPipeline
{
    public const string Name = "compute-cost";

    public ComputeCostPipeline(ILog log, ComputeCostSettings settings, DatastreamMetrics metrics, ILogger<ComputeCostPipeline> logger, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        var runnerSettings = new RunnerSettings(Name, new ConsumerSpec(settings.Group, [settings.Topics.Raw]) { Transactional = true, MaxPollBytes = settings.MaxBatchBytes },
            settings.Topics.Raw, settings.Topics.Result, settings.Topics.Dlq)
        {
            BatchSize = settings.BatchSize,
            PollWait = settings.PollWait,
            Retry = new Backoff(settings.MinRetryDelay, settings.MaxRetryDelay),
        };
        Runner = new PipelineRunner(log, runnerSettings, (consumer, progress) => new Batches(consumer, settings, progress, logger, time), metrics, logger, time);
    }

    /// <summary>The loop running this pipeline; also a hosted service.</summary>
    public PipelineRunner Runner { get; }

    public PipelineProgress Progress => Runner.Progress;

    public PauseSwitch Pause => Runner.Pause;

    /// <inheritdoc cref="PipelineRunner.RunAsync"/>
    public Task RunAsync(Func<bool>? untilIdle, CancellationToken stop) => Runner.RunAsync(untilIdle, stop);

    /// <summary>One run's batches: each is transformed and committed with its offsets in one unit of work.</summary>
    private sealed class Batches : IBatchHandler
    {
        private readonly ILogConsumer _consumer;
        private readonly ComputeCostSettings _settings;
        private readonly PipelineProgress _progress;
        private readonly ILogger _logger;
        private readonly TimeProvider _time;
        private readonly ComputeCostTravel _transform;
        private readonly RideResultBuffer _results = new();
        private readonly ArrayBufferWriter<byte> _dlqBuffer = new(4096);
        private readonly Dictionary<TopicPartition, long> _nextOffsets = [];
        private readonly byte[] _keyBuffer = new byte[36];

        public Batches(ILogConsumer consumer, ComputeCostSettings settings, PipelineProgress progress, ILogger logger, TimeProvider time)
        {
            this._consumer = consumer;
            this._settings = settings;
            this._progress = progress;
            this._logger = logger;
            this._time = time;
            _transform = new ComputeCostTravel(settings.Transform);
            LogStarted(logger, Name, TaskNames.ConsumeKafka, settings.Topics.Raw, TaskNames.ComputeCostTravel, TaskNames.PublishKafka, settings.Topics.Result, settings.Topics.Dlq);
        }

        public async ValueTask<BatchOutcome> HandleAsync(IReadOnlyList<LogRecord> records, CancellationToken stop)
        {
            _results.Clear();
            _nextOffsets.Clear();
            var dlqCounts = new long[Enum.GetValues<RejectionKind>().Length];
            long produced = 0;
            long started = StageTimes.Start();
            await using (var unit = _consumer.BeginUnitOfWork())
            {
                DateTime now = _time.GetUtcNow().UtcDateTime;
                foreach (var record in records)
                {
                    // ComputeCostTravel
                    int first = _results.Count;
                    if (TryTransform(record, now, out var rejection))
                    {
                        // PublishKafka: rides_result, keyed by ride_id.
                        for (int i = first; i < _results.Count; i++)
                        {
                            unit.Append(_settings.Topics.Result, RideIdKey(_results.RideId(i), _keyBuffer), _results.Value(i));
                        }

                        produced += _results.Count - first;
                    }
                    else
                    {
                        _dlqBuffer.ResetWrittenCount();
                        var source = new SourceRecordRef(record.Topic, record.Partition, record.Offset, record.TimestampUtc);
                        DlqEnvelope.Write(_dlqBuffer, Name, rejection, source, record.Value, now, _settings.DeadLetterMaxBytes);
                        unit.Append(_settings.Topics.Dlq, DeadLetterKey.For(record.Key).Span, _dlqBuffer.WrittenSpan);
                        dlqCounts[(int)rejection.Kind]++;
                        if (_logger.IsEnabled(LogLevel.Debug))
                        {
                            LogDeadLetter(_logger, Name, record.Topic, record.Partition, record.Offset, RideIdProbe.Find(record.Value), rejection);
                        }
                    }

                    _nextOffsets[record.TopicPartition] = record.Offset + 1;
                }

                unit.CommitOffsets(_nextOffsets.Select(kv => new TopicPartitionOffset(kv.Key.Topic, kv.Key.Partition, kv.Value)).ToList());
                started = _progress.Stages.Add(PipelineStages.Transform, started);
                // Not cancellable: a batch that was computed is committed before a graceful stop.
                await unit.CommitAsync(CancellationToken.None);
            }

            _progress.Stages.Add(PipelineStages.Commit, started);

            return new BatchOutcome(produced, dlqCounts, Committed: true);
        }

        /// <summary>Every batch is committed as it is handled: nothing is ever held between batches.</summary>
        public bool IsCommitDue(DateTime nowUtc) => false;

        public ValueTask<long[]?> CommitAsync() => ValueTask.FromResult<long[]?>(null);

        public void Discard()
        {
        }

        public ValueTask DisposeAsync()
        {
            LogStopped(_logger, Name, _progress.Consumed, _progress.Produced, _progress.Dlq);
            return ValueTask.CompletedTask;
        }

        /// <summary>
        /// ComputeCostTravel on one record, isolated: an exception it throws (a bug, not the record's fault in any way
        /// the schema names) makes that record an "internal" dead letter instead of failing the batch, which would be
        /// retried forever. Only running out of memory is left to fail the batch: it is the process's state, not the record's.
        /// </summary>
        private bool TryTransform(LogRecord record, DateTime now, out Rejection rejection)
        {
            RideResultBuffer.Mark mark = _results.Save();
            try
            {
                return _transform.TryTransform(record.Value, record.TimestampUtc, now, _results, out rejection);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _results.RollBack(mark);
                rejection = Rejection.Internal(error);
                LogInternalError(_logger, Name, TaskNames.ComputeCostTravel, record.Topic, record.Partition, record.Offset, RideIdProbe.Find(record.Value), _settings.Topics.Dlq, error);
                return false;
            }
        }
    }

    /// <summary>The record key of a result: the ride_id as text, as the original design's Kafka producer wrote it.</summary>
    private static ReadOnlySpan<byte> RideIdKey(Guid rideId, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(rideId, destination, out int written, 'D');
        return destination[..written];
    }
}
