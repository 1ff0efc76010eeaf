using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Tests;

/// <summary>
/// A test double of the log port with a single member per group and injectable commit failures, to prove the
/// pipeline's commit protocol (abort, rewind, redo) independently of any engine.
/// </summary>
public sealed class InMemoryLog : ILog
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<List<LogRecord>>> _topics = [];
    private readonly Dictionary<(string Group, string Topic, int Partition), long> _committed = [];

    public string Engine => "in-memory";

    public int MaxRecordBytes { get; init; } = 1_048_588 - 512;

    /// <summary>Failures the next commits (units of work and plain commits) throw, in order; null entries commit normally.</summary>
    public Queue<Exception?> CommitFailures { get; } = new();

    public int CommitAttempts { get; private set; }

    public ValueTask CreateTopicAsync(TopicSpec spec, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_topics.ContainsKey(spec.Name))
            {
                _topics[spec.Name] = Enumerable.Range(0, spec.Partitions).Select(_ => new List<LogRecord>()).ToList();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>(_topics.Keys.ToList());
        }
    }

    public ValueTask<TopicDescription?> DescribeTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var partitions))
            {
                return ValueTask.FromResult<TopicDescription?>(null);
            }

            var described = partitions.Select((records, p) => new PartitionDescription(p, 0, records.Count,
                _committed.Where(c => c.Key.Topic == topic && c.Key.Partition == p).ToDictionary(c => c.Key.Group, c => c.Value))).ToList();
            return ValueTask.FromResult<TopicDescription?>(new TopicDescription(topic, described));
        }
    }

    /// <summary>Offsets here are list indexes: the records of a range are the indexes in it.</summary>
    public ValueTask<long> CountRecordsAsync(TopicPartition partition, long fromOffset, long toOffset, long atMost = long.MaxValue,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            long end = Math.Min(toOffset, _topics[partition.Topic][partition.Partition].Count);
            return ValueTask.FromResult(Math.Min(atMost, Math.Max(0, end - Math.Max(0, fromOffset))));
        }
    }

    public List<LogRecord> Records(string topic)
    {
        lock (_gate)
        {
            return _topics[topic].SelectMany(p => p).ToList();
        }
    }

    public ILogProducer CreateProducer() => new Producer(this);

    public ILogConsumer CreateConsumer(ConsumerSpec spec) => new Consumer(this, spec);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Append(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (!_topics.TryGetValue(topic, out var partitions))
        {
            throw new UnknownTopicException(topic);
        }

        var target = partitions[key.IsEmpty ? 0 : key[0] % partitions.Count];
        target.Add(new LogRecord(topic, partitions.IndexOf(target), target.Count, DateTime.UtcNow, key.IsEmpty ? null : key.ToArray(), value.ToArray()));
    }

    private sealed class Producer(InMemoryLog log) : ILogProducer
    {
        public ValueTask ProduceAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
        {
            if (records.FirstOrDefault(r => r.Key.Length + r.Value.Length > log.MaxRecordBytes) is { Topic: not null } large)
            {
                throw new RecordTooLargeException(large.Topic, large.Key.Length + large.Value.Length, log.MaxRecordBytes);
            }

            lock (log._gate)
            {
                foreach (var r in records)
                {
                    log.Append(r.Topic, r.Key.Span, r.Value.Span);
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Consumer(InMemoryLog log, ConsumerSpec spec) : ILogConsumer
    {
        private readonly Dictionary<TopicPartition, long> _positions = [];

        public IReadOnlyCollection<TopicPartition> Assignment
        {
            get
            {
                lock (log._gate)
                {
                    return spec.Topics.SelectMany(t => log._topics[t].Select((_, p) => new TopicPartition(t, p))).ToList();
                }
            }
        }

        /// <summary>Every partition of the topics, always: the assignment never changes.</summary>
        public long AssignmentGeneration => 0;

        public ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
        {
            lock (log._gate)
            {
                return ValueTask.FromResult<IReadOnlyDictionary<TopicPartition, long>>(partitions
                    .Where(tp => log._committed.ContainsKey((spec.Group, tp.Topic, tp.Partition)))
                    .ToDictionary(tp => tp, tp => log._committed[(spec.Group, tp.Topic, tp.Partition)]));
            }
        }

        public ValueTask<IReadOnlyList<LogRecord>> PollAsync(int maxRecords, TimeSpan maxWait, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<LogRecord>();
            long bytes = 0;
            lock (log._gate)
            {
                foreach (var tp in Assignment)
                {
                    long position = Position(tp);
                    var records = log._topics[tp.Topic][tp.Partition];
                    while (position < records.Count && batch.Count < maxRecords)
                    {
                        var record = records[(int)position];
                        long size = (record.Key?.Length ?? 0) + record.Value.Length;
                        if (batch.Count > 0 && bytes + size > spec.MaxPollBytes)
                        {
                            break;
                        }

                        batch.Add(record);
                        bytes += size;
                        position++;
                    }

                    _positions[tp] = position;
                }
            }

            return ValueTask.FromResult<IReadOnlyList<LogRecord>>(batch);
        }

        public ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets, CancellationToken cancellationToken = default)
        {
            lock (log._gate)
            {
                log.CommitAttempts++;
                if (log.CommitFailures.TryDequeue(out var failure) && failure is not null)
                {
                    throw failure;
                }

                foreach (var o in nextOffsets)
                {
                    log._committed[(spec.Group, o.Topic, o.Partition)] = o.Offset;
                }
            }

            return ValueTask.CompletedTask;
        }

        public ILogUnitOfWork BeginUnitOfWork() => new UnitOfWork(log, spec.Group);

        public ValueTask RewindToCommittedAsync(CancellationToken cancellationToken = default)
        {
            lock (log._gate)
            {
                _positions.Clear();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<PartitionLag>> GetLagAsync(CancellationToken cancellationToken = default)
        {
            lock (log._gate)
            {
                return ValueTask.FromResult<IReadOnlyList<PartitionLag>>(
                    Assignment.Select(tp => new PartitionLag(tp.Topic, tp.Partition, Position(tp), log._topics[tp.Topic][tp.Partition].Count)).ToList());
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private long Position(TopicPartition tp) =>
            _positions.TryGetValue(tp, out long p) ? p : log._committed.GetValueOrDefault((spec.Group, tp.Topic, tp.Partition));
    }

    private sealed class UnitOfWork(InMemoryLog log, string group) : ILogUnitOfWork
    {
        private readonly List<(string Topic, byte[] Key, byte[] Value)> _staged = [];
        private readonly List<TopicPartitionOffset> _offsets = [];

        public void Append(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _staged.Add((topic, key.ToArray(), value.ToArray()));

        public void CommitOffsets(IReadOnlyList<TopicPartitionOffset> nextOffsets) => _offsets.AddRange(nextOffsets);

        public ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            lock (log._gate)
            {
                log.CommitAttempts++;
                if (log.CommitFailures.TryDequeue(out var failure) && failure is not null)
                {
                    throw failure;
                }

                foreach (var (topic, key, value) in _staged)
                {
                    log.Append(topic, key, value);
                }

                foreach (var o in _offsets)
                {
                    log._committed[(group, o.Topic, o.Partition)] = o.Offset;
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
