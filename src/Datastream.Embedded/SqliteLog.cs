using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// The embedded log: topics, partitions and consumer groups in one SQLite file (WAL) under the data directory.
///
/// Durability: WAL with synchronous=NORMAL (default) — a committed transaction survives a process kill -9; a power
/// loss may drop the last transactions but never corrupts the file. Set <see cref="EmbeddedLogOptions.Synchronous"/>
/// to Full to survive power loss at a throughput cost.
///
/// Processes: any number of processes can open the same data directory; writers take turns on SQLite's write lock
/// (busy_timeout), readers never block. Consumer groups coordinate through lease rows (see SqliteLogConsumer).
///
/// Threads: this object's admin methods are thread-safe. Each producer and consumer owns its own connection;
/// producers are thread-safe, consumers are not (one poll loop each), as in Kafka.
/// </summary>
public sealed class SqliteLog : ILog
{
    private readonly LogDatabase _database;
    private readonly SqliteConnection _connection;
    private readonly TopicCatalog _catalog;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    public SqliteLog(EmbeddedLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = new LogDatabase(options);
        _connection = _database.Open();
        try
        {
            _database.EnsureSchema(_connection);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        _catalog = new TopicCatalog(_connection);
    }

    public string Engine => "embedded";

    public int MaxRecordBytes => _database.Options.MaxRecordBytes;

    public EmbeddedLogOptions Options => _database.Options;

    public async ValueTask CreateTopicAsync(TopicSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Name);
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Partitions, 1);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            WriteTransaction.Run(_connection, tx =>
            {
                if (_catalog.Find(spec.Name, tx) is not null)
                {
                    return 0;
                }

                long id;
                using (var insert = _connection.CreateCommand())
                {
                    insert.Transaction = tx;
                    insert.CommandText = "INSERT INTO topics(name, partitions, retention_ms, retention_bytes) VALUES ($n, $p, $ms, $b) RETURNING id";
                    insert.Parameters.AddWithValue("$n", spec.Name);
                    insert.Parameters.AddWithValue("$p", spec.Partitions);
                    insert.Parameters.AddWithValue("$ms", spec.RetentionAge is { } age ? (long)age.TotalMilliseconds : DBNull.Value);
                    insert.Parameters.AddWithValue("$b", spec.RetentionBytes is { } bytes ? bytes : DBNull.Value);
                    id = (long)insert.ExecuteScalar()!;
                }

                var topic = new TopicInfo(id, spec.Name, spec.Partitions, null, null);
                for (var p = 0; p < spec.Partitions; p++)
                {
                    SqliteFile.Execute(_connection,
                        $"CREATE TABLE {topic.TableOf(p)}({LogDatabase.BatchColumns});" +
                        $"INSERT INTO partitions(topic_id, partition, start_offset, next_offset, bytes) VALUES ({id}, {p}, 0, 0, 0);", tx);
                }

                return 0;
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _catalog.All().Select(t => t.Name).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<TopicDescription?> DescribeTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var info = _catalog.Find(topic);
            if (info is null)
            {
                return null;
            }
            // One read transaction, so partition bounds and group offsets come from the same snapshot.
            using var tx = _connection.BeginTransaction(deferred: true);
            var committed = new Dictionary<int, Dictionary<string, long>>();
            using (var command = _connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = "SELECT partition, grp, next_offset FROM group_offsets WHERE topic_id = $t";
                command.Parameters.AddWithValue("$t", info.Id);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var partition = reader.GetInt32(0);
                    if (!committed.TryGetValue(partition, out var groups))
                    {
                        committed[partition] = groups = new Dictionary<string, long>(StringComparer.Ordinal);
                    }

                    groups[reader.GetString(1)] = reader.GetInt64(2);
                }
            }

            var partitions = new List<PartitionDescription>(info.Partitions);
            using (var command = _connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = "SELECT partition, start_offset, next_offset FROM partitions WHERE topic_id = $t ORDER BY partition";
                command.Parameters.AddWithValue("$t", info.Id);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var partition = reader.GetInt32(0);
                    partitions.Add(new PartitionDescription(partition, reader.GetInt64(1), reader.GetInt64(2),
                        committed.TryGetValue(partition, out var groups) ? groups : new Dictionary<string, long>()));
                }
            }

            tx.Commit();
            return new TopicDescription(info.Name, partitions);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Offsets here are consecutive (units of work take offsets only when they commit, and nothing but records takes
    /// one): the records are the offsets between the partition's retained start and its end, read without a scan.
    /// </summary>
    public async ValueTask<long> CountRecordsAsync(TopicPartition partition, long fromOffset, long toOffset, long atMost = long.MaxValue,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atMost);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var info = _catalog.Find(partition.Topic) ?? throw new UnknownTopicException(partition.Topic);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT start_offset, next_offset FROM partitions WHERE topic_id = $t AND partition = $p";
            command.Parameters.AddWithValue("$t", info.Id);
            command.Parameters.AddWithValue("$p", partition.Partition);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                throw new ArgumentOutOfRangeException(nameof(partition), partition, $"{partition.Topic} has {info.Partitions} partitions");
            }

            long first = Math.Max(fromOffset, reader.GetInt64(0));
            long end = Math.Min(toOffset, reader.GetInt64(1));
            long records = Math.Min(Math.Max(0, end - first), atMost);
            progress?.Report(records);
            return records;
        }
        finally
        {
            _gate.Release();
        }
    }

    public ILogProducer CreateProducer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SqliteLogProducer(_database);
    }

    public ILogConsumer CreateConsumer(ConsumerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SqliteLogConsumer(_database, spec);
    }

    /// <summary>Deletes records beyond each topic's retention age and size now (producers also do it periodically).</summary>
    public async ValueTask<long> EnforceRetentionAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new RetentionEnforcer(_connection, _catalog).Enforce(Options.NowMs(), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }
}
