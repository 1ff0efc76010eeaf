using System.Diagnostics;
using Confluent.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Kafka;

/// <summary>
/// A consumer group member (cooperative-sticky, manual commits, read_committed). When the spec is transactional it
/// owns one transactional producer (transactional.id "{prefix}-{group}-{member}") for its units of work.
///
/// Rebalances happen inside Consume, so inside PollAsync: records of a partition revoked or lost while a poll is
/// accumulating are dropped from that poll's batch and its position forgotten, because the partition's new owner
/// starts again from the committed offset. Not thread-safe: one poll loop per consumer.
/// </summary>
public sealed class KafkaLogConsumer : ILogConsumer, IRebalanceListener
{
    /// <summary>Longest single blocking Consume: bounds how late a cancellation is noticed.</summary>
    private static readonly TimeSpan ConsumeSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>Once a poll holds records, it returns as soon as the client has nothing more within this time.</summary>
    private static readonly TimeSpan FollowUpWait = TimeSpan.FromMilliseconds(5);

    private readonly ConsumerSpec _spec;
    private readonly TimeSpan _timeout;
    private readonly IKafkaConsumerClient _client;
    private readonly Func<IKafkaTransactionalProducer>? _producerFactory;
    private readonly HashSet<TopicPartition> _assignment = [];
    private readonly Dictionary<TopicPartition, long> _positions = new();
    private readonly HashSet<TopicPartition> _lostSincePoll = [];
    private List<LogRecord>? _accumulating;
    private IKafkaTransactionalProducer? _producer;
    private bool _producerBroken;
    private KafkaUnitOfWork? _openUnit;
    private bool _disposed;

    internal KafkaLogConsumer(
        ConsumerSpec spec,
        TimeSpan requestTimeout,
        Func<IRebalanceListener, IKafkaConsumerClient> clientFactory,
        Func<IKafkaTransactionalProducer>? producerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Group);
        _spec = spec;
        _timeout = requestTimeout;
        _producerFactory = producerFactory;
        if (spec.Transactional && producerFactory is null)
        {
            throw new ArgumentException("a transactional consumer needs a producer factory", nameof(producerFactory));
        }

        _client = clientFactory(this);
        if (spec.Transactional)
        {
            try
            {
                _producer = CreateProducer();
            }
            catch
            {
                _client.Dispose();
                throw;
            }
        }
    }

    public IReadOnlyCollection<TopicPartition> Assignment => _assignment.ToArray();

    public long AssignmentGeneration { get; private set; }

    public string MemberId => _spec.MemberId;

    internal TimeSpan RequestTimeout => _timeout;

    internal IConsumerGroupMetadata? GroupMetadata => _client.GroupMetadata;

    public async ValueTask<IReadOnlyList<LogRecord>> PollAsync(int maxRecords, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        cancellationToken.ThrowIfCancellationRequested();
        // Consume blocks in native code; a pool thread in short slices keeps the caller responsive and cancellable.
        return await Task.Run(() => Accumulate(maxRecords, maxWait, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (nextOffsets.Count == 0)
        {
            return;
        }

        var notOwned = NotOwned(nextOffsets.Select(o => o.TopicPartition));
        if (notOwned.Count > 0)
        {
            throw new PartitionsLostException(notOwned, $"member {_spec.MemberId} of group {_spec.Group} no longer owns them");
        }

        try
        {
            await Task.Run(() => _client.Commit(nextOffsets), cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException e) when (TransactionFailure.MeansOwnershipLost(e))
        {
            var partitions = nextOffsets.Select(o => o.TopicPartition).Distinct().ToList();
            Forget(partitions);
            throw new PartitionsLostException(partitions, e.Error.Reason);
        }
    }

    public ILogUnitOfWork BeginUnitOfWork()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_spec.Transactional)
        {
            throw new InvalidOperationException("BeginUnitOfWork needs a consumer created with ConsumerSpec.Transactional");
        }

        if (_openUnit is not null)
        {
            throw new InvalidOperationException("a unit of work is already open on this consumer");
        }
        // Normally already replaced by RewindToCommittedAsync after the failure; this is the fallback.
        EnsureProducer();
        _openUnit = new KafkaUnitOfWork(this, _producer!);
        return _openUnit;
    }

    public async ValueTask RewindToCommittedAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var partitions = _assignment.ToArray();
        await Task.Run(() =>
        {
            // A fenced producer cannot start another transaction: replace it now, off the poll loop's hot path.
            EnsureProducer();
            var committed = _client.Committed(partitions, _timeout);
            foreach (var partition in partitions)
            {
                long? offset = committed.TryGetValue(partition, out var c) ? c : null;
                _client.Seek(partition, offset);
                if (offset is { } next)
                {
                    _positions[partition] = next;
                }
                else
                {
                    _positions.Remove(partition);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var committed = await Task.Run(() => _client.Committed(partitions, _timeout), cancellationToken).ConfigureAwait(false);
        return committed.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!.Value);
    }

    public async ValueTask<IReadOnlyList<PartitionLag>> GetLagAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var partitions = _assignment.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition).ToArray();
        var positions = new Dictionary<TopicPartition, long>(_positions);
        return await Task.Run(() =>
        {
            var lags = new List<PartitionLag>(partitions.Length);
            foreach (var partition in partitions)
            {
                try
                {
                    var (low, high) = _client.Watermarks(partition, _timeout);
                    long position = positions.TryGetValue(partition, out var p) ? p : _client.Position(partition) ?? low;
                    lags.Add(new PartitionLag(partition.Topic, partition.Partition, position, high));
                }
                catch (KafkaException)
                {
                    // Leader unreachable right now: report the partitions we could measure; the next call retries.
                }
            }

            return (IReadOnlyList<PartitionLag>)lags;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (_openUnit is not null)
        {
            await _openUnit.DisposeAsync().ConfigureAwait(false);
        }

        _disposed = true;
        await Task.Run(() =>
        {
            try
            {
                // Leaves the group now, so the partitions move at once instead of after the session timeout.
                _client.Close();
            }
            catch (KafkaException)
            {
                // Leaving is best effort: the group coordinator evicts us after session.timeout.ms anyway.
            }
            finally
            {
                _client.Dispose();
                _producer?.Dispose();
            }
        }).ConfigureAwait(false);
    }

    void IRebalanceListener.OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        AssignmentGeneration++;
        foreach (var partition in partitions)
        {
            _assignment.Add(partition);
            _lostSincePoll.Remove(partition);
        }
    }

    void IRebalanceListener.OnRevoked(IReadOnlyList<TopicPartition> partitions) => GiveUp(partitions);

    void IRebalanceListener.OnLost(IReadOnlyList<TopicPartition> partitions) => GiveUp(partitions);

    void IRebalanceListener.OnEndOfPartition(TopicPartition partition, long endOffset)
    {
        // Every record before endOffset has been delivered (EOF events come in order after them), so the position
        // may move over trailing transaction markers.
        if (_assignment.Contains(partition) && (!_positions.TryGetValue(partition, out long position) || position < endOffset))
        {
            _positions[partition] = endOffset;
        }
    }

    /// <summary>Partitions among these that this member cannot commit for: not assigned, or lost since the last poll.</summary>
    internal IReadOnlyCollection<TopicPartition> NotOwned(IEnumerable<TopicPartition> partitions) =>
        partitions.Where(p => !_assignment.Contains(p) || _lostSincePoll.Contains(p)).Distinct().ToList();

    /// <summary>Positions of partitions whose batch was dropped: they restart from the committed offset.</summary>
    internal void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _positions.Remove(partition);
        }
    }

    internal void ProducerBroken() => _producerBroken = true;

    internal void EndUnitOfWork(KafkaUnitOfWork unit)
    {
        if (ReferenceEquals(_openUnit, unit))
        {
            _openUnit = null;
        }
    }

    private List<LogRecord> Accumulate(int maxRecords, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var batch = new List<LogRecord>(Math.Min(maxRecords, 4096));
        long bytes = 0;
        var waited = Stopwatch.StartNew();
        _accumulating = batch;
        try
        {
            while (batch.Count < maxRecords && bytes < _spec.MaxPollBytes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan wait;
                if (batch.Count > 0)
                {
                    wait = FollowUpWait;
                }
                else
                {
                    var remaining = maxWait - waited.Elapsed;
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    wait = remaining < ConsumeSlice ? remaining : ConsumeSlice;
                }

                // Revokes and losses run inside this call (GiveUp), removing their records from `batch`.
                var record = _client.Consume(wait);
                if (record is null)
                {
                    if (batch.Count > 0)
                    {
                        break;
                    }

                    continue;
                }

                // A record fetched before its partition was revoked can still be queued: it is not ours anymore.
                if (!_assignment.Contains(record.TopicPartition))
                {
                    continue;
                }

                long size = (record.Key?.Length ?? 0) + record.Value.Length;
                if (batch.Count > 0 && bytes + size > _spec.MaxPollBytes && SeekBack(record))
                {
                    break;
                }

                batch.Add(record);
                bytes += size;
                _positions[record.TopicPartition] = record.Offset + 1;
            }
        }
        finally
        {
            _accumulating = null;
        }

        // Whatever was lost before this point has been filtered out of the batch we return.
        _lostSincePoll.Clear();
        return batch;
    }

    /// <summary>
    /// Leaves a record over the poll's byte budget for the next poll: the client fetches it again. False when the client
    /// cannot go back; the record then stays in this poll, a budget overrun of one record rather than a skipped record.
    /// </summary>
    private bool SeekBack(LogRecord record)
    {
        try
        {
            _client.Seek(record.TopicPartition, record.Offset);
            return true;
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    private void GiveUp(IReadOnlyList<TopicPartition> partitions)
    {
        AssignmentGeneration++;
        var gone = partitions.ToHashSet();
        foreach (var partition in gone)
        {
            _assignment.Remove(partition);
            _positions.Remove(partition);
            _lostSincePoll.Add(partition);
        }

        // The new owner starts from the committed offset; returning these would process them twice.
        _accumulating?.RemoveAll(r => gone.Contains(r.TopicPartition));
    }

    private void EnsureProducer()
    {
        if (!_spec.Transactional || !_producerBroken)
        {
            return;
        }

        _producer?.Dispose();
        _producer = null;
        _producer = CreateProducer();
        _producerBroken = false;
    }

    private IKafkaTransactionalProducer CreateProducer()
    {
        var producer = _producerFactory!();
        try
        {
            // Registers our transactional id: aborts whatever an earlier incarnation left open and fences it.
            producer.InitTransactions(_timeout);
            return producer;
        }
        catch
        {
            producer.Dispose();
            throw;
        }
    }
}
