using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Appends records inside a caller's write transaction on one connection, reusing one prepared INSERT per partition
/// table. Offsets come from partitions.next_offset, read once per partition and transaction, and written back by
/// <see cref="Flush"/> before the caller commits.
/// </summary>
internal sealed class RecordAppender : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TopicCatalog _catalog;
    private readonly Dictionary<string, InsertCommand> _inserts = new(StringComparer.Ordinal);
    private readonly Dictionary<(long TopicId, int Partition), PartitionTail> _touched = new();
    private readonly Dictionary<long, int> _roundRobin = new();
    private readonly SqliteCommand _loadTail;
    private readonly SqliteCommand _storeTail;

    public RecordAppender(SqliteConnection connection, TopicCatalog catalog)
    {
        _connection = connection;
        _catalog = catalog;
        _loadTail = connection.CreateCommand();
        _loadTail.CommandText = "SELECT next_offset FROM partitions WHERE topic_id = $t AND partition = $p";
        _loadTail.Parameters.Add("$t", SqliteType.Integer);
        _loadTail.Parameters.Add("$p", SqliteType.Integer);
        _storeTail = connection.CreateCommand();
        _storeTail.CommandText = "UPDATE partitions SET next_offset = $n, bytes = bytes + $b WHERE topic_id = $t AND partition = $p";
        _storeTail.Parameters.Add("$n", SqliteType.Integer);
        _storeTail.Parameters.Add("$b", SqliteType.Integer);
        _storeTail.Parameters.Add("$t", SqliteType.Integer);
        _storeTail.Parameters.Add("$p", SqliteType.Integer);
    }

    /// <summary>Forgets what a rolled back (or retried) transaction staged.</summary>
    public void Reset() => _touched.Clear();

    /// <summary>Empty key = no key: round-robin over the partitions, as Kafka does for null keys.</summary>
    public int PartitionFor(TopicInfo topic, ReadOnlySpan<byte> key)
    {
        if (!key.IsEmpty)
            return KafkaPartitioner.PartitionOf(key, topic.Partitions);
        _roundRobin.TryGetValue(topic.Id, out var next);
        _roundRobin[topic.Id] = (next + 1) % topic.Partitions;
        return next;
    }

    public void Append(SqliteTransaction transaction, string topicName, byte[]? key, byte[] value, long timestampMs)
    {
        var topic = _catalog.Get(topicName, transaction);
        var partition = PartitionFor(topic, key);
        if (!_touched.TryGetValue((topic.Id, partition), out var tail))
        {
            tail = new PartitionTail(LoadNextOffset(transaction, topic.Id, partition));
            _touched[(topic.Id, partition)] = tail;
        }

        var table = topic.TableOf(partition);
        if (!_inserts.TryGetValue(table, out var insert))
        {
            insert = new InsertCommand(_connection, table);
            _inserts[table] = insert;
        }

        insert.Execute(transaction, tail.NextOffset, timestampMs, key, value);
        tail.NextOffset++;
        tail.Bytes += (key?.Length ?? 0) + value.Length;
    }

    public void Flush(SqliteTransaction transaction)
    {
        _storeTail.Transaction = transaction;
        foreach (var ((topicId, partition), tail) in _touched)
        {
            _storeTail.Parameters[0].Value = tail.NextOffset;
            _storeTail.Parameters[1].Value = tail.Bytes;
            _storeTail.Parameters[2].Value = topicId;
            _storeTail.Parameters[3].Value = partition;
            _storeTail.ExecuteNonQuery();
        }

        _touched.Clear();
    }

    private long LoadNextOffset(SqliteTransaction transaction, long topicId, int partition)
    {
        _loadTail.Transaction = transaction;
        _loadTail.Parameters[0].Value = topicId;
        _loadTail.Parameters[1].Value = partition;
        return (long)(_loadTail.ExecuteScalar() ?? throw new InvalidOperationException($"partition row missing for topic id {topicId}[{partition}]"));
    }

    public void Dispose()
    {
        foreach (var insert in _inserts.Values)
            insert.Dispose();
        _loadTail.Dispose();
        _storeTail.Dispose();
    }

    private sealed class PartitionTail(long nextOffset)
    {
        public long NextOffset { get; set; } = nextOffset;
        public long Bytes { get; set; }
    }

    private sealed class InsertCommand : IDisposable
    {
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _offset;
        private readonly SqliteParameter _timestamp;
        private readonly SqliteParameter _key;
        private readonly SqliteParameter _value;

        public InsertCommand(SqliteConnection connection, string table)
        {
            _command = connection.CreateCommand();
            _command.CommandText = $"INSERT INTO {table}(off, ts, key, value) VALUES ($o, $t, $k, $v)";
            _offset = _command.Parameters.Add("$o", SqliteType.Integer);
            _timestamp = _command.Parameters.Add("$t", SqliteType.Integer);
            _key = _command.Parameters.Add("$k", SqliteType.Blob);
            _value = _command.Parameters.Add("$v", SqliteType.Blob);
        }

        public void Execute(SqliteTransaction transaction, long offset, long timestampMs, byte[]? key, byte[] value)
        {
            _command.Transaction = transaction;
            _offset.Value = offset;
            _timestamp.Value = timestampMs;
            _key.Value = key is null ? DBNull.Value : key;
            _value.Value = value;
            _command.ExecuteNonQuery();
        }

        public void Dispose() => _command.Dispose();
    }
}
