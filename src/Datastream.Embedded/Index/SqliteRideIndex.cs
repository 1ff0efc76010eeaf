using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.Search;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Index;

/// <summary>
/// The embedded index: rides and per-minute rollups in one SQLite file (WAL) under the data directory, see
/// <see cref="IndexDatabase"/> for the schema and <see cref="RideWriter"/> for how the rollups stay exact.
///
/// Each <see cref="UpsertAsync"/> is one write transaction: readers (this object's queries, or another process such
/// as the web app) see all of a call or none of it, and never wait for it. Any number of processes may open the same
/// file; writers take turns on SQLite's write lock (busy_timeout, then a few retries) and I/O errors surface as
/// exceptions so the caller retries. Thread-safe: upserts are serialized, queries run in parallel on reader connections.
/// </summary>
public sealed class SqliteRideIndex : IRideIndexWriter, IRideSearch
{
    private readonly IndexDatabase _database;
    private readonly SqliteConnection _writerConnection;
    private readonly RideWriter _writer;
    private readonly ReadConnectionPool _readers;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private bool _disposed;

    public SqliteRideIndex(EmbeddedIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = new IndexDatabase(options);
        _writerConnection = _database.OpenWriter();
        try
        {
            _database.EnsureSchema(_writerConnection);
            _writer = new RideWriter(_writerConnection, options);
        }
        catch
        {
            _writerConnection.Dispose();
            throw;
        }

        _readers = new ReadConnectionPool(_database);
    }

    public string Engine => "embedded";

    public EmbeddedIndexOptions Options => _database.Options;

    public async ValueTask<IReadOnlyList<IndexRejection>> UpsertAsync(IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rides);
        if (rides.Count == 0)
        {
            return [];
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _writer.Upsert(rides, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The sum of the rollup counts: O(minutes) rather than a scan of rides, and exact (same transaction).</summary>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        Read(connection => SqliteFile.Scalar(connection, "SELECT coalesce(sum(count), 0) FROM minute_stats"), cancellationToken);

    /// <summary>Rollup rows whose minute starts in [from, to), by minute then comfort. Reads minute_stats only.</summary>
    public ValueTask<IReadOnlyList<MinuteComfortStats>> MinuteStatsAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<MinuteComfortStats>>(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT minute, comfort, count, sum_distance, sum_price FROM minute_stats
                WHERE minute >= $from AND minute < $to ORDER BY minute, comfort
                """;
            command.Parameters.Add("$from", SqliteType.Integer).Value = UnixMilliseconds.From(fromUtc);
            command.Parameters.Add("$to", SqliteType.Integer).Value = UnixMilliseconds.From(toUtc);
            using var reader = command.ExecuteReader();
            var stats = new List<MinuteComfortStats>();
            while (reader.Read())
            {
                stats.Add(new MinuteComfortStats(
                    UnixMilliseconds.ToUtc(reader.GetInt64(0)), (Comfort)reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4)));
            }

            return stats;
        }, cancellationToken);

    /// <summary>
    /// Newest ts first (ties by arrival, newest first, so pages never overlap). Total and page come from one read
    /// transaction, so they agree even while the pipeline writes.
    /// </summary>
    public ValueTask<RidePage> SearchAsync(RideQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var where = RideSearchFilter.WhereClause(query);
        return Read(connection =>
        {
            using var snapshot = connection.BeginTransaction(deferred: true);
            long total;
            using (var count = connection.CreateCommand())
            {
                count.Transaction = snapshot;
                count.CommandText = $"SELECT count(*) FROM rides {where}";
                RideSearchFilter.Bind(count, query);
                total = (long)count.ExecuteScalar()!;
            }

            var rides = new List<FlatRide>(Math.Min(query.Limit, 1000));
            if (query.Limit > 0 && query.Offset < total)
            {
                using var page = connection.CreateCommand();
                page.Transaction = snapshot;
                page.CommandText = $"SELECT {RideColumns.List} FROM rides {where} ORDER BY {RideSchema.Names.Ts} DESC, rowid DESC LIMIT $limit OFFSET $offset";
                RideSearchFilter.Bind(page, query);
                page.Parameters.Add("$limit", SqliteType.Integer).Value = query.Limit;
                page.Parameters.Add("$offset", SqliteType.Integer).Value = query.Offset;
                using var reader = page.ExecuteReader();
                while (reader.Read())
                {
                    rides.Add(RideColumns.Read(reader));
                }
            }

            snapshot.Commit();
            return new RidePage(total, rides);
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<FlatRide>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Read<IReadOnlyList<FlatRide>>(connection =>
        {
            var rides = new List<FlatRide>(Math.Min(count, 1000));
            if (count == 0)
            {
                return rides;
            }

            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {RideColumns.List} FROM rides ORDER BY {RideSchema.Names.AgentTimestamp} DESC, rowid DESC LIMIT $n";
            command.Parameters.Add("$n", SqliteType.Integer).Value = count;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rides.Add(RideColumns.Read(reader));
            }

            return rides;
        }, cancellationToken);
    }

    private ValueTask<T> Read<T>(Func<SqliteConnection, T> query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ValueTask.FromResult(_readers.Read(query));
    }

    public async ValueTask DisposeAsync()
    {
        // Waits for a running upsert; queries in flight finish on their own connection, which is then closed.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _readers.Dispose();
            _writer.Dispose();
            _writerConnection.Dispose();
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
