using Confluent.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>
/// Idempotent, acks=all, lz4, batched producer. ProduceAsync hands every record to librdkafka at once and then waits
/// for all delivery reports, so a batch costs a few round trips instead of one per record. Thread-safe.
/// </summary>
public sealed class KafkaLogProducer : ILogProducer
{
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(20);
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly KafkaLogOptions _options;

    internal KafkaLogProducer(KafkaLogOptions options)
    {
        _options = options;
        _producer = new ProducerBuilder<byte[], byte[]>(KafkaProducerConfiguration.Create(options)).Build();
    }

    public async ValueTask ProduceAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        // Refused before anything is handed to librdkafka, so the call appends nothing, as on the embedded log.
        foreach (var record in records)
        {
            if ((long)record.Key.Length + record.Value.Length > _options.MaxRecordBytes)
            {
                throw new RecordTooLargeException(record.Topic, (long)record.Key.Length + record.Value.Length, _options.MaxRecordBytes);
            }
        }

        var tracker = new DeliveryTracker();
        // Enqueue can block briefly when librdkafka's queue is full: keep that off the caller's thread.
        await Task.Run(() =>
        {
            foreach (var record in records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Enqueue(_producer, record.Topic, record.Key.IsEmpty ? null : record.Key.ToArray(), record.Value.ToArray(), tracker);
            }
        }, cancellationToken).ConfigureAwait(false);
        // The delivery timeout of librdkafka (message.timeout.ms) bounds this wait; ours is a safety net above it.
        await tracker.WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(tracker);
    }

    public ValueTask DisposeAsync()
    {
        // Flush what is still queued (records of a cancelled call), bounded, off the caller's thread.
        return new ValueTask(Task.Run(() =>
        {
            _producer.Flush(_options.RequestTimeout);
            _producer.Dispose();
        }));
    }

    internal static void ThrowIfFailed(DeliveryTracker tracker)
    {
        if (tracker.Failure is not { } failure)
        {
            return;
        }

        if (failure.UnknownTopic)
        {
            throw new UnknownTopicException(failure.Topic);
        }

        throw new LogDeliveryException(failure.Topic, $"{failure.Error.Reason} ({failure.Error.Code})");
    }

    /// <summary>Hands one record to librdkafka, waiting while its local queue is full; its report goes to the tracker.</summary>
    internal static void Enqueue(IProducer<byte[], byte[]> producer, string topic, byte[]? key, byte[] value, DeliveryTracker tracker)
    {
        var message = new Message<byte[], byte[]> { Key = key!, Value = value };
        tracker.Sent();
        while (true)
        {
            try
            {
                producer.Produce(topic, message, report => tracker.Delivered(topic, report.Error));
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: the background thread drains the queue as the brokers acknowledge.
                Thread.Sleep(QueueFullBackoff);
            }
            catch (ProduceException<byte[], byte[]> e)
            {
                tracker.Delivered(topic, e.Error);
                return;
            }
            catch (KafkaException e)
            {
                tracker.Delivered(topic, e.Error);
                return;
            }
        }
    }
}
