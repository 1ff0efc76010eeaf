using System.Diagnostics;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.Producer;

/// <summary>
/// Sends records to rides_raw in batches, paced to a target rate, until a count, a duration, the end of the
/// source or a stop request (the batch in hand is still sent, so nothing generated is half-written). A record over
/// the log's record-size cap cannot be sent at all: it is left out with a warning naming it and counted in
/// <see cref="Refused"/>, and the rest goes on (sending it would fail its whole batch, again on every retry).
/// </summary>
public sealed partial class RideProducer(ILog log, string topic, ILogger<RideProducer> logger, DatastreamMetrics? metrics = null)
{
    /// <summary>The "pipeline" label of the producer's records in datastream_records_produced_total.</summary>
    public const string Name = "producer";

    /// <summary>Exported at 0 from when the producer is built (SPEC §7).</summary>
    private readonly CounterSeries? _producedSeries = metrics?.RecordsProduced.Series(new("pipeline", Name), new("topic", topic));
    private long _produced;
    private long _refused;
    private long _read;

    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>Records of the source left out because they are over the log's record-size cap.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public async Task RunAsync(IRecordSource source, ProduceLimits limits, CancellationToken stop)
    {
        if (limits.Rate < 0 || double.IsNaN(limits.Rate))
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.Rate, "rate must be ≥ 0");
        }

        await using var producer = log.CreateProducer();
        // At a set rate, send a twentieth of a second's worth at a time so the stream stays smooth.
        int batchSize = limits.Rate > 0 ? (int)Math.Clamp(limits.Rate / 20, 1, limits.MaxBatch) : limits.MaxBatch;
        var batch = new List<OutgoingRecord>(batchSize);
        var arena = new BatchArena();
        var clock = Stopwatch.StartNew();
        bool exhausted = false;
        logger.LogInformation("producing to {Topic}: count {Count}, duration {Duration}, rate {Rate}/s", topic,
            limits.Count?.ToString() ?? "unlimited", limits.Duration?.ToString() ?? "unlimited", limits.Rate == 0 ? "max" : limits.Rate);

        while (!exhausted && !stop.IsCancellationRequested)
        {
            if (limits.Duration is { } duration && clock.Elapsed >= duration)
            {
                break;
            }

            long want = batchSize;
            if (limits.Count is { } count)
            {
                want = Math.Min(want, count - Produced);
                if (want <= 0)
                {
                    break;
                }
            }

            if (limits.Rate > 0)
            {
                double due = limits.Rate * clock.Elapsed.TotalSeconds - Produced;
                if (due < 1)
                {
                    var wait = TimeSpan.FromSeconds((Produced + Math.Min(want, batchSize) - limits.Rate * clock.Elapsed.TotalSeconds) / limits.Rate);
                    try
                    {
                        await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    continue;
                }

                want = Math.Min(want, (long)Math.Ceiling(due));
            }

            batch.Clear();
            arena.Reset();
            DateTime now = DateTime.UtcNow;
            while (batch.Count < want)
            {
                if (!source.TryNext(now, out var value))
                {
                    exhausted = true;
                    break;
                }

                _read++;
                if (value.Length > log.MaxRecordBytes)
                {
                    Interlocked.Increment(ref _refused);
                    LogRefused(logger, _read, value.Length, topic, log.MaxRecordBytes);
                    continue;
                }

                batch.Add(new OutgoingRecord(topic, ReadOnlyMemory<byte>.Empty, arena.Copy(value.Span)));
            }

            if (batch.Count > 0)
            {
                // Not cancellable: a batch in hand is sent whole before stopping.
                await producer.ProduceAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _produced, batch.Count);
                _producedSeries?.Add(batch.Count);
            }
        }

        logger.LogInformation("produced {Produced} records to {Topic} in {Seconds:F1} s", Produced, topic, clock.Elapsed.TotalSeconds);
    }

    [LoggerMessage(1008, LogLevel.Warning, "record {Record} of the source ({Bytes} bytes) is not sent to {Topic}: over the log's record-size cap of {MaxBytes} bytes")]
    private static partial void LogRefused(ILogger logger, long record, int bytes, string topic, int maxBytes);
}
