using System.Diagnostics;
using Confluent.Kafka;

namespace Datastream.Kafka;

/// <summary>
/// Counts the records of an offset range by reading it: Kafka gives no record count, and offsets overcount (every
/// transaction leaves a commit or abort marker in each partition it wrote; aborted records keep their offsets). A
/// read_committed consumer outside any group, assigned one partition at a time, sees exactly what the pipelines'
/// consumers see. Payloads are not deserialized, and the client's read-ahead is capped, so memory stays bounded
/// however long the range. One count at a time; thread-safe.
/// </summary>
internal sealed class KafkaRecordCounter : IDisposable
{
    /// <summary>Read-ahead the client may buffer for the one assigned partition.</summary>
    private const int ReadAheadKilobytes = 8 * 1024;

    /// <summary>How often a long count tells its progress.</summary>
    private const long ProgressEvery = 10_000;

    private static readonly TimeSpan ConsumeSlice = TimeSpan.FromMilliseconds(100);

    private readonly KafkaLogOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConsumer<Ignore, Ignore>? _consumer;

    public KafkaRecordCounter(KafkaLogOptions options) => _options = options;

    public async ValueTask<long> CountAsync(TopicPartition partition, long fromOffset, long toOffset, long atMost, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atMost);
        if (toOffset <= fromOffset || atMost == 0)
        {
            progress?.Report(0);
            return 0;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Consume blocks in native code: a pool thread, in short slices that notice cancellation.
            return await Task.Run(() => Count(partition, fromOffset, toOffset, atMost, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _consumer?.Dispose();
        _gate.Dispose();
    }

    private long Count(TopicPartition partition, long fromOffset, long toOffset, long atMost, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var consumer = _consumer ??= Build();
        // Below the first retained offset the client restarts at the earliest (auto.offset.reset): deleted records count nothing.
        consumer.Assign(new KafkaTopicPartitionOffset(partition.Topic, new Partition(partition.Partition), new Offset(Math.Max(0, fromOffset))));
        try
        {
            long records = 0;
            // Bounded by time without news, not in total: a long range reads for as long as records keep coming.
            var sinceNews = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = consumer.Consume(ConsumeSlice);
                if (result is null)
                {
                    if (sinceNews.Elapsed > _options.RequestTimeout)
                    {
                        throw new TimeoutException($"counting the records of {partition} up to offset {toOffset}: nothing read for {_options.RequestTimeout.TotalSeconds:0} s");
                    }

                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    // A read_committed reader's end is the last stable offset: short of toOffset only while a
                    // transaction writing there is still open, whose records are not readable yet. Wait for it to end.
                    if (result.Offset.Value >= toOffset)
                    {
                        break;
                    }

                    if (sinceNews.Elapsed > _options.RequestTimeout)
                    {
                        throw new TimeoutException($"counting the records of {partition}: offsets {result.Offset.Value} to {toOffset} are still in an open transaction after {_options.RequestTimeout.TotalSeconds:0} s");
                    }

                    continue;
                }

                sinceNews.Restart();
                if (result.Offset.Value >= toOffset)
                {
                    break;
                }

                if (result.Offset.Value < fromOffset)
                {
                    // The client restarted at the earliest offset because fromOffset was past the end.
                    continue;
                }

                records++;
                if (records % ProgressEvery == 0)
                {
                    progress?.Report(records);
                }

                if (records >= atMost)
                {
                    break;
                }
            }

            progress?.Report(records);
            return records;
        }
        finally
        {
            consumer.Unassign();
        }
    }

    private IConsumer<Ignore, Ignore> Build() => new ConsumerBuilder<Ignore, Ignore>(KafkaClientConfiguration.Apply(_options, new ConsumerConfig
    {
        // Never joins the group (assign only) and never commits: the id is only what the client requires.
        GroupId = $"{_options.ClientId}-record-counter",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        IsolationLevel = IsolationLevel.ReadCommitted,
        EnablePartitionEof = true,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        QueuedMaxMessagesKbytes = ReadAheadKilobytes,
        // A range usually ends in a marker, known to be the end only from the broker's empty answer at the end (EOF):
        // the default lets the broker hold that answer 500 ms per range.
        FetchWaitMaxMs = 10,
    })).Build();
}
