using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Appends records inside a caller's write transaction on one connection. Records are encoded into one
/// <see cref="RecordBatchBuilder"/> per touched partition and written as one batch row per partition by
/// <see cref="Flush"/> (or earlier, when a batch reaches its size bounds), so SQLite does one statement step and one
/// B-tree insert per batch instead of per record. Offsets come from partitions.next_offset, read once per partition
/// and transaction, and written back by <see cref="Flush"/> before the caller commits. Each batch row's records are
/// compressed as a whole with the log's codec (<see cref="RecordBatchCodec"/>), which is stored with the row.
/// </summary>
internal sealed class RecordAppender : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TopicCatalog _catalog;
    private readonly int _maxRecordBytes;
    private readonly RecordBatchCodec _codec;
    private readonly Dictionary<string, InsertCommand> _inserts = new(StringComparer.Ordinal);
    private readonly Dictionary<(long TopicId, int Partition), PartitionTail> _tails = new();
    private readonly List<PartitionTail> _touched = [];
    private readonly Dictionary<long, int> _roundRobin = new();
    private readonly SqliteCommand _loadTail;
    private readonly SqliteCommand _storeTail;

    public RecordAppender(SqliteConnection connection, TopicCatalog catalog, int maxRecordBytes, LogCompression compression)
    {
        _connection = connection;
        _catalog = catalog;
        _maxRecordBytes = maxRecordBytes;
        _codec = new RecordBatchCodec(compression);
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
    public void Reset()
    {
        foreach (var tail in _touched)
        {
            tail.Clear();
        }

        _touched.Clear();
    }

    /// <summary>Empty key = no key: round-robin over the partitions, as Kafka does for null keys.</summary>
    public int PartitionFor(TopicInfo topic, ReadOnlySpan<byte> key)
    {
        if (!key.IsEmpty)
        {
            return KafkaPartitioner.PartitionOf(key, topic.Partitions);
        }

        _roundRobin.TryGetValue(topic.Id, out var next);
        _roundRobin[topic.Id] = (next + 1) % topic.Partitions;
        return next;
    }

    /// <summary>
    /// Stages one record; an empty key is stored as no key (null when read back). A record over the cap throws
    /// RecordTooLargeException, and the caller's transaction, rolled back, appends nothing. The cap counts the record
    /// as the caller sees it (before compression), so whether a record fits never depends on the codec or on its
    /// neighbours in the batch, and a record the log takes fits a Kafka topic of the same limit.
    /// </summary>
    public void Append(SqliteTransaction transaction, string topicName, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long timestampMs)
    {
        if ((long)key.Length + value.Length > _maxRecordBytes)
        {
            throw new RecordTooLargeException(topicName, (long)key.Length + value.Length, _maxRecordBytes);
        }

        var topic = _catalog.Get(topicName, transaction);
        var partition = PartitionFor(topic, key);
        if (!_tails.TryGetValue((topic.Id, partition), out var tail))
        {
            tail = new PartitionTail(topic, partition);
            _tails[(topic.Id, partition)] = tail;
        }

        if (!tail.Loaded)
        {
            tail.Load(LoadNextOffset(transaction, topic.Id, partition));
            _touched.Add(tail);
        }

        if (!tail.Batch.Fits(key.Length, value.Length))
        {
            WriteBatch(tail);
        }

        tail.Batch.Add(timestampMs, key, value);
        tail.NextOffset++;
    }

    /// <summary>Writes the pending batch of every touched partition and their new high watermarks.</summary>
    public void Flush(SqliteTransaction transaction)
    {
        _storeTail.Transaction = transaction;
        foreach (var tail in _touched)
        {
            if (!tail.Batch.IsEmpty)
            {
                WriteBatch(tail);
            }

            _storeTail.Parameters[0].Value = tail.NextOffset;
            _storeTail.Parameters[1].Value = tail.Bytes;
            _storeTail.Parameters[2].Value = tail.Topic.Id;
            _storeTail.Parameters[3].Value = tail.Partition;
            _storeTail.ExecuteNonQuery();
            tail.Clear();
        }

        _touched.Clear();
    }

    private void WriteBatch(PartitionTail tail)
    {
        var table = tail.Topic.TableOf(tail.Partition);
        if (!_inserts.TryGetValue(table, out var insert))
        {
            insert = new InsertCommand(_connection, table);
            _inserts[table] = insert;
        }

        var batch = tail.Batch;
        insert.Execute(tail.NextOffset - batch.Count, tail.NextOffset - 1, batch, _codec);
        tail.Bytes += batch.PayloadBytes;
        batch.Clear();
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
        {
            insert.Dispose();
        }

        _loadTail.Dispose();
        _storeTail.Dispose();
        _codec.Dispose();
    }

    /// <summary>A partition's append state within one transaction; the batch buffer outlives it for reuse.</summary>
    private sealed class PartitionTail(TopicInfo topic, int partition)
    {
        public TopicInfo Topic { get; } = topic;

        public int Partition { get; } = partition;

        public RecordBatchBuilder Batch { get; } = new();

        public bool Loaded { get; private set; }

        public long NextOffset { get; set; }

        /// <summary>
        /// Payload bytes (key + value, uncompressed) written as rows in this transaction. Retention bytes count them
        /// uncompressed so a topic's retention keeps the same records whatever the codec of each batch, and
        /// partitions.bytes of logs written before compression keeps its meaning.
        /// </summary>
        public long Bytes { get; set; }

        public void Load(long nextOffset)
        {
            Loaded = true;
            NextOffset = nextOffset;
            Bytes = 0;
        }

        public void Clear()
        {
            Loaded = false;
            Batch.Clear();
        }
    }

    /// <summary>
    /// The INSERT of one partition's batch rows, on the C API so the blob binds from the codec's span (see
    /// <see cref="PreparedStatement"/>); it runs inside the connection's open transaction.
    /// </summary>
    private sealed class InsertCommand(SqliteConnection connection, string table) : IDisposable
    {
        private readonly PreparedStatement _statement = new(connection,
            $"INSERT INTO {table}(last_offset, base_offset, count, max_ts, bytes, codec, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

        public void Execute(long baseOffset, long lastOffset, RecordBatchBuilder batch, RecordBatchCodec codec)
        {
            _statement.Bind(1, lastOffset);
            _statement.Bind(2, baseOffset);
            _statement.Bind(3, batch.Count);
            _statement.Bind(4, batch.MaxTimestampMs);
            _statement.Bind(5, batch.PayloadBytes);
            var data = codec.Encode(batch.Records, out var stored);
            _statement.Bind(6, (long)stored);
            _statement.Bind(7, data);
            _statement.Execute();
        }

        public void Dispose() => _statement.Dispose();
    }
}
