using Confluent.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>
/// One Kafka transaction: the batch's outputs and the group's consumed offsets become visible together
/// (read_committed readers) or not at all. Disposing without CommitAsync aborts.
/// </summary>
internal sealed class KafkaUnitOfWork(KafkaLogConsumer consumer, IKafkaTransactionalProducer producer) : ILogUnitOfWork
{
    private readonly DeliveryTracker _deliveries = new();
    private readonly Dictionary<TopicPartition, long> _offsets = new();
    private bool _begun;
    private bool _finished;

    public void Append(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfFinished();
        ArgumentNullException.ThrowIfNull(topic);
        // Begun lazily: an idle poll loop opens no transactions.
        EnsureBegun();
        // Empty key = null key: librdkafka then spreads records instead of hashing "" to one partition.
        producer.Produce(topic, key.IsEmpty ? null : key.ToArray(), value.ToArray(), _deliveries);
    }

    public void CommitOffsets(IReadOnlyList<TopicPartitionOffset> nextOffsets)
    {
        ThrowIfFinished();
        foreach (var offset in nextOffsets)
        {
            _offsets[offset.TopicPartition] = offset.Offset;
        }
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFinished();
        var offsets = _offsets.Select(o => new TopicPartitionOffset(o.Key.Topic, o.Key.Partition, o.Value)).ToList();
        try
        {
            if (!_begun && offsets.Count == 0)
            {
                return;
            }

            await CommitTransactionAsync(offsets, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Finish();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }

        try
        {
            if (_begun)
            {
                await Task.Run(Abort).ConfigureAwait(false);
            }
        }
        finally
        {
            Finish();
        }
    }

    private async Task CommitTransactionAsync(List<TopicPartitionOffset> offsets, CancellationToken cancellationToken)
    {
        var partitions = offsets.Select(o => o.TopicPartition).ToList();
        var timeout = consumer.RequestTimeout;
        try
        {
            // A partition revoked or lost since the batch was polled has a new owner that redoes it from the
            // committed offset: committing here would write its outputs twice.
            ThrowIfNotOwned(partitions, "revoked or lost before the commit");
            EnsureBegun();
            // 1. Every output acknowledged: a failed delivery must abort the batch, not commit a hole.
            await _deliveries.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            if (_deliveries.Failure is { } failure)
            {
                throw DeliveryError(failure);
            }

            await Task.Run(() =>
            {
                // 2. The consumed offsets join the transaction, with the group metadata (generation, member id): the
                //    coordinator rejects them if a rebalance gave the partitions to someone else (KIP-447 fencing).
                if (offsets.Count > 0)
                {
                    producer.SendOffsetsToTransaction(offsets, consumer.GroupMetadata, timeout);
                }
                // Last local check before the point of no return (a test double or a handler may have revoked).
                ThrowIfNotOwned(partitions, "revoked or lost during the commit");
                // 3. Outputs and offsets become visible at once.
                producer.CommitTransaction(timeout);
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            await Task.Run(() => AbortAfter(error), CancellationToken.None).ConfigureAwait(false);
            if (error is PartitionsLostException)
            {
                consumer.Forget(partitions);
                throw;
            }

            if (TransactionFailure.MeansOwnershipLost(error))
            {
                // Fenced or stale generation: the batch belongs to another member now; drop it, don't retry it.
                consumer.Forget(partitions);
                throw new PartitionsLostException(partitions, ((KafkaException)error).Error.Reason);
            }

            throw;
        }
    }

    /// <summary>Rolls back after a failed step; a producer that cannot abort (fatal, fenced) is replaced instead.</summary>
    private void AbortAfter(Exception error)
    {
        if (TransactionFailure.BreaksProducer(error))
        {
            // A fenced or fatally failed producer can neither abort nor begin again: InitTransactions on a new one
            // (before the next unit of work) aborts whatever this one left open on the coordinator.
            consumer.ProducerBroken();
            return;
        }

        Abort();
    }

    private void Abort()
    {
        if (!_begun)
        {
            return;
        }

        try
        {
            // Aborted outputs are skipped by read_committed readers; the batch is redone from the committed offsets.
            producer.AbortTransaction(consumer.RequestTimeout);
        }
        catch (KafkaException)
        {
            // Could not abort (fenced, coordinator gone): replacing the producer aborts the transaction server-side.
            consumer.ProducerBroken();
        }
    }

    private void ThrowIfNotOwned(IReadOnlyList<TopicPartition> partitions, string when)
    {
        var lost = consumer.NotOwned(partitions);
        if (lost.Count > 0)
        {
            throw new PartitionsLostException(lost, $"member {consumer.MemberId}: {when}");
        }
    }

    private void EnsureBegun()
    {
        if (_begun)
        {
            return;
        }

        try
        {
            producer.BeginTransaction();
        }
        catch (KafkaException e) when (TransactionFailure.BreaksProducer(e))
        {
            // A producer fenced since its last transaction: replace it, and leave this batch to the new owner.
            consumer.ProducerBroken();
            if (TransactionFailure.MeansOwnershipLost(e))
            {
                throw new PartitionsLostException(consumer.Assignment, e.Error.Reason);
            }

            throw;
        }

        _begun = true;
    }

    /// <summary>A failed delivery as the exception the caller acts on; fencing errors keep their Kafka code for the classification.</summary>
    private static Exception DeliveryError(DeliveryFailure failure)
    {
        if (failure.UnknownTopic)
        {
            return new UnknownTopicException(failure.Topic);
        }

        var asKafka = new KafkaException(failure.Error);
        if (TransactionFailure.MeansOwnershipLost(asKafka) || TransactionFailure.BreaksProducer(asKafka))
        {
            return asKafka;
        }

        return new LogDeliveryException(failure.Topic, $"{failure.Error.Reason} ({failure.Error.Code})");
    }

    private void Finish()
    {
        _finished = true;
        _offsets.Clear();
        consumer.EndUnitOfWork(this);
    }

    private void ThrowIfFinished() => ObjectDisposedException.ThrowIf(_finished, this);
}
