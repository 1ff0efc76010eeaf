using System.Diagnostics;
using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// A consumer group member on its own connection. Partition ownership follows the lease protocol of
/// <see cref="GroupMembership"/>: leases are renewed and the assignment rebalanced inside PollAsync (at most every
/// LeaseRenewInterval), so a member must keep polling to keep its partitions. Commits (plain or through a unit of
/// work) verify ownership in the same transaction that writes them and throw PartitionsLostException when fenced.
/// Not thread-safe: one poll loop per consumer.
/// </summary>
public sealed class SqliteLogConsumer : ILogConsumer
{
    private readonly EmbeddedLogOptions _options;
    private readonly ConsumerSpec _spec;
    private readonly SqliteConnection _connection;
    private readonly TopicCatalog _catalog;
    private readonly RecordAppender _appender;
    private readonly GroupMembership _membership;
    private readonly SqliteCommand _dataVersion;
    private readonly Dictionary<TopicPartition, PartitionCursor> _cursors = new();
    private List<PartitionCursor> _order = [];
    private TopicPartition[] _assignment = [];
    private int _nextFirst;
    private long _lastRenewMs = long.MinValue;
    private SqliteUnitOfWork? _openUnit;

    /// <summary>
    /// The staging buffer of every unit of work, one at a time: a unit's outputs reach megabytes, and a fresh buffer
    /// per unit, grown by doubling, was half of all bytes the run allocated, large arrays the GC keeps until a full
    /// collection (peak memory).
    /// </summary>
    private readonly StagedOutputs _staged = new();
    private bool _disposed;

    internal SqliteLogConsumer(LogDatabase database, ConsumerSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Group);
        _options = database.Options;
        _spec = spec;
        _connection = database.Open();
        _catalog = new TopicCatalog(_connection);
        _appender = new RecordAppender(_connection, _catalog, _options.MaxRecordBytes, _options.Compression);
        _membership = new GroupMembership(_connection, spec.Group, spec.MemberId, _options);
        _dataVersion = _connection.CreateCommand();
        _dataVersion.CommandText = "PRAGMA data_version";
    }

    public IReadOnlyCollection<TopicPartition> Assignment => _assignment;

    public long AssignmentGeneration { get; private set; }

    public string MemberId => _spec.MemberId;

    public async ValueTask<IReadOnlyList<LogRecord>> PollAsync(int maxRecords, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var waited = Stopwatch.StartNew();
        RenewIfDue(cancellationToken);
        var version = DataVersion();
        var records = ReadAvailable(maxRecords);
        var backoff = TimeSpan.FromMilliseconds(5);
        while (records.Count == 0 && waited.Elapsed < maxWait)
        {
            var remaining = maxWait - waited.Elapsed;
            await Task.Delay(remaining < backoff ? remaining : backoff, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxPollBackoff.Ticks));
            // data_version changes only when another connection commits: a cheap "anything new?" check.
            var renewed = RenewIfDue(cancellationToken);
            var current = DataVersion();
            if (renewed || current != version)
            {
                version = current;
                records = ReadAvailable(maxRecords);
            }
        }

        return records;
    }

    public ValueTask CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CommitAtomically(null, nextOffsets, cancellationToken);
        return ValueTask.CompletedTask;
    }

    public ILogUnitOfWork BeginUnitOfWork()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_openUnit is not null)
        {
            throw new InvalidOperationException("a unit of work is already open on this consumer");
        }

        _staged.Clear();
        _openUnit = new SqliteUnitOfWork(this, _staged);
        return _openUnit;
    }

    public ValueTask RewindToCommittedAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var cursor in _cursors.Values)
        {
            cursor.Position = InitialPosition(null, cursor.Topic, cursor.Partition);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var committed = new Dictionary<TopicPartition, long>();
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT next_offset FROM group_offsets WHERE grp = $g AND topic_id = $t AND partition = $p";
        command.Parameters.AddWithValue("$g", _spec.Group);
        var topicId = command.Parameters.Add("$t", SqliteType.Integer);
        var partition = command.Parameters.Add("$p", SqliteType.Integer);
        foreach (var tp in partitions)
        {
            topicId.Value = _catalog.Get(tp.Topic).Id;
            partition.Value = tp.Partition;
            if (command.ExecuteScalar() is long next)
            {
                committed[tp] = next;
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<TopicPartition, long>>(committed);
    }

    public ValueTask<IReadOnlyList<PartitionLag>> GetLagAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var lags = new List<PartitionLag>(_cursors.Count);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT next_offset FROM partitions WHERE topic_id = $t AND partition = $p";
        var topicId = command.Parameters.Add("$t", SqliteType.Integer);
        var partition = command.Parameters.Add("$p", SqliteType.Integer);
        foreach (var cursor in _order)
        {
            topicId.Value = cursor.Topic.Id;
            partition.Value = cursor.Partition;
            lags.Add(new PartitionLag(cursor.Topic.Name, cursor.Partition, cursor.Position, (long)command.ExecuteScalar()!));
        }

        return ValueTask.FromResult<IReadOnlyList<PartitionLag>>(lags);
    }

    /// <summary>Outputs, group offsets and the ownership check in one write transaction.</summary>
    internal void CommitAtomically(StagedOutputs? records, IReadOnlyList<TopicPartitionOffset> nextOffsets, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = _options.NowMs();
        try
        {
            WriteTransaction.Run(_connection, tx =>
            {
                _appender.Reset();
                var committing = nextOffsets.Select(o => (Topic: _catalog.Get(o.Topic, tx), o.Partition, o.Offset)).ToList();
                var lost = _membership.FindLost(tx, committing.Select(c => (c.Topic, c.Partition)));
                if (lost.Count > 0)
                {
                    throw new PartitionsLostException(lost, $"member {_spec.MemberId} of group {_spec.Group} no longer holds their leases");
                }

                records?.AppendTo(_appender, tx, now);
                _appender.Flush(tx);
                using var upsert = _connection.CreateCommand();
                upsert.Transaction = tx;
                upsert.CommandText = """
                    INSERT INTO group_offsets(grp, topic_id, partition, next_offset) VALUES ($g, $t, $p, $o)
                    ON CONFLICT(grp, topic_id, partition) DO UPDATE SET next_offset = excluded.next_offset
                    """;
                upsert.Parameters.AddWithValue("$g", _spec.Group);
                var topicId = upsert.Parameters.Add("$t", SqliteType.Integer);
                var partition = upsert.Parameters.Add("$p", SqliteType.Integer);
                var offset = upsert.Parameters.Add("$o", SqliteType.Integer);
                foreach (var (topic, p, o) in committing)
                {
                    topicId.Value = topic.Id;
                    partition.Value = p;
                    offset.Value = o;
                    upsert.ExecuteNonQuery();
                }

                return 0;
            }, cancellationToken);
        }
        catch (PartitionsLostException e)
        {
            _appender.Reset();
            Drop(e.Partitions);
            throw;
        }
        catch
        {
            _appender.Reset();
            throw;
        }
    }

    internal void EndUnitOfWork(SqliteUnitOfWork unit)
    {
        if (ReferenceEquals(_openUnit, unit))
        {
            _openUnit = null;
        }
    }

    /// <summary>Renews leases and rebalances when due; returns true when it ran (the assignment may have changed).</summary>
    private bool RenewIfDue(CancellationToken cancellationToken)
    {
        var now = _options.NowMs();
        if (_lastRenewMs != long.MinValue && now - _lastRenewMs < (long)_options.LeaseRenewInterval.TotalMilliseconds)
        {
            return false;
        }

        var topics = _spec.Topics.Select(t => _catalog.Get(t)).ToList();
        var positions = new Dictionary<TopicPartition, long>();
        var rebalance = WriteTransaction.Run(_connection, tx =>
        {
            positions.Clear();
            var result = _membership.Rebalance(tx, topics, now);
            foreach (var (topic, partition) in result.Claimed)
            {
                positions[new TopicPartition(topic.Name, partition)] = InitialPosition(tx, topic, partition);
            }

            return result;
        }, cancellationToken);
        _lastRenewMs = now;
        _membership.Apply(rebalance);
        Drop(rebalance.Lost);
        foreach (var (topic, partition) in rebalance.Claimed)
        {
            var tp = new TopicPartition(topic.Name, partition);
            if (_cursors.Remove(tp, out var stale))
            {
                stale.Dispose();
            }

            _cursors[tp] = new PartitionCursor(_connection, topic, partition, positions[tp]);
        }

        if (rebalance.Claimed.Count > 0)
        {
            AssignmentGeneration++;
        }

        RebuildOrder();
        return true;
    }

    private void Drop(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        if (list.Count > 0)
        {
            AssignmentGeneration++;
        }

        _membership.Forget(list);
        foreach (var tp in list)
        {
            if (_cursors.Remove(tp, out var cursor))
            {
                cursor.Dispose();
            }
        }

        RebuildOrder();
    }

    private void RebuildOrder()
    {
        _order = _cursors.Values.OrderBy(c => c.Topic.Name, StringComparer.Ordinal).ThenBy(c => c.Partition).ToList();
        _assignment = _order.Select(c => new TopicPartition(c.Topic.Name, c.Partition)).ToArray();
    }

    /// <summary>
    /// Round-robin over owned partitions (a different first partition each poll), offset order within each, until
    /// maxRecords or the spec's MaxPollBytes is reached.
    /// </summary>
    private List<LogRecord> ReadAvailable(int maxRecords)
    {
        var records = new List<LogRecord>();
        if (_order.Count == 0)
        {
            return records;
        }

        var quota = Math.Max(1, (maxRecords + _order.Count - 1) / _order.Count);
        var first = _nextFirst++ % _order.Count;
        long bytesLeft = _spec.MaxPollBytes;
        bool more;
        do
        {
            more = false;
            for (var i = 0; i < _order.Count && records.Count < maxRecords && bytesLeft > 0; i++)
            {
                var want = Math.Min(quota, maxRecords - records.Count);
                if (_order[(first + i) % _order.Count].Read(want, ref bytesLeft, records) == want)
                {
                    more = true;
                }
            }
        }
        while (more && records.Count < maxRecords && bytesLeft > 0);

        return records;
    }

    /// <summary>The group's committed offset, else the start policy; never below the partition's first retained offset.</summary>
    private long InitialPosition(SqliteTransaction? tx, TopicInfo topic, int partition)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            SELECT p.start_offset, p.next_offset, g.next_offset
            FROM partitions p LEFT JOIN group_offsets g ON g.grp = $g AND g.topic_id = p.topic_id AND g.partition = p.partition
            WHERE p.topic_id = $t AND p.partition = $p
            """;
        command.Parameters.AddWithValue("$g", _spec.Group);
        command.Parameters.AddWithValue("$t", topic.Id);
        command.Parameters.AddWithValue("$p", partition);
        using var reader = command.ExecuteReader();
        reader.Read();
        var start = reader.GetInt64(0);
        if (!reader.IsDBNull(2))
        {
            return Math.Max(start, reader.GetInt64(2));
        }

        return _spec.WhenNoCommittedOffset == StartPosition.Latest ? reader.GetInt64(1) : start;
    }

    private long DataVersion() => (long)_dataVersion.ExecuteScalar()!;

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        try
        {
            WriteTransaction.Run(_connection, tx =>
            {
                _membership.Leave(tx);
                return 0;
            }, CancellationToken.None);
        }
        catch (SqliteException)
        {
            // Could not say goodbye (database locked for too long): the leases simply expire.
        }

        foreach (var cursor in _cursors.Values)
        {
            cursor.Dispose();
        }

        _cursors.Clear();
        _order = [];
        _assignment = [];
        _appender.Dispose();
        _dataVersion.Dispose();
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
