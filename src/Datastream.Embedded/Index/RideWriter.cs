using System.Runtime.InteropServices;
using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Index;

/// <summary>
/// Upserts rides and keeps minute_stats equal to what a GROUP BY over <c>rides</c> would give, in one write
/// transaction per call. Owns the writing connection and its prepared statements; not thread-safe (the index
/// serializes calls).
///
/// Finding a ride's row: rides has no key on ride_id (see <see cref="IndexDatabase"/>). A ride the in-memory
/// <see cref="RideIdFilter"/> has never seen is new for certain and is appended with no lookup; only a "maybe" (a
/// replayed or repeated ride, or a false positive: ~0.1 %) looks the id up: first among the rows not keyed yet, which
/// this writer holds in memory (ride_id → rowid, less than one generation), then in ride_keys, generation by
/// generation, newest first. The filter and that map are built at the first write (the filter from ride_keys, both
/// from the rows after ride_keys_through) and, before each write, catch up with rows other processes appended since
/// (their rowids are above the last this writer saw: rides are never deleted). The write that fills a generation also
/// writes its keys, as one run in key order, and moves ride_keys_through to its last row.
///
/// How the rollups stay right under replays and overwrites: a new ride adds itself to its (minute, comfort) delta; an
/// existing one has its old values read, subtracted from its old (minute, comfort) delta (which may differ from the
/// new one) and the new values added, then the row is overwritten. The deltas of the call are summed in memory and
/// applied with one upsert per touched (minute, comfort) row; a row whose count falls to zero is deleted. The same ride
/// twice in one call is written once (its last occurrence wins).
/// </summary>
internal sealed class RideWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly int _generationBits;
    private readonly long _firstFilterCapacity;
    private readonly PreparedStatement _insert;
    private readonly PreparedStatement _keysThrough;
    private readonly PreparedStatement _keyRows;
    private readonly PreparedStatement _setKeysThrough;
    private readonly PreparedStatement _newestKeyedGeneration;
    private readonly PreparedStatement _findRow;
    private readonly PreparedStatement _selectOld;
    private readonly PreparedStatement _update;
    private readonly PreparedStatement _applyDelta;
    private readonly PreparedStatement _deleteEmpty;
    private readonly PreparedStatement _allKeys;
    private readonly PreparedStatement _rowsAfter;
    private readonly Dictionary<Guid, int> _lastOccurrence = new();
    private readonly Dictionary<RollupKey, RollupDelta> _deltas = new();

    /// <summary>Every ride_id written, by anyone, up to <see cref="_seenRowid"/>; empty until the first write builds it.</summary>
    private readonly List<RideIdFilter> _filters = [];

    /// <summary>The highest committed rowid whose ride_id is in the filters.</summary>
    private long _seenRowid;

    /// <summary>The newest generation in ride_keys (-1: none), read whenever ride_keys_through moves (lookups start there).</summary>
    private long _newestGeneration = -1;

    /// <summary>
    /// ride_keys_through as of the running (or last) write: ride_keys holds every ride up to this rowid. -1 until the
    /// first write reads it, so that write also reads the newest generation.
    /// </summary>
    private long _keyedThroughRow = -1;

    /// <summary>
    /// ride_id → rowid of the rides after <see cref="_keyedThroughRow"/>, up to <see cref="_seenRowid"/> (entries at or
    /// below it may linger until pruned; they are still right). Sized for a generation and a write beyond it, so it
    /// does not grow while the pipeline runs.
    /// </summary>
    private readonly UnkeyedRides _unkeyedRows;

    /// <summary>
    /// A write began and has not committed: if the next one begins, this one rolled back, and rows it remembered may
    /// not exist. The next one then rebuilds the map from what is committed.
    /// </summary>
    private bool _writeOpen;

    /// <summary>What <see cref="_seenRowid"/> becomes once the running transaction commits.</summary>
    private long _pendingSeenRowid;

    public RideWriter(SqliteConnection connection, EmbeddedIndexOptions options)
    {
        _connection = connection;
        _generationBits = options.GenerationBits;
        _firstFilterCapacity = options.FilterCapacity;
        var placeholders = string.Join(", ", RideColumns.Names.Select((_, i) => $"?{i + 1}"));
        _insert = new PreparedStatement(connection, $"INSERT INTO rides({RideColumns.List}) VALUES ({placeholders})");
        _unkeyedRows = new UnkeyedRides((1 << _generationBits) + (1 << _generationBits) / 4);
        _keysThrough = new PreparedStatement(connection, "SELECT ride_row FROM ride_keys_through");
        _keyRows = new PreparedStatement(connection, $"""
            INSERT INTO ride_keys(generation, ride_id, ride_row)
            SELECT rowid >> {_generationBits}, {RideSchema.Names.RideId}, rowid FROM rides WHERE rowid > ?1 AND rowid <= ?2 ORDER BY 1, 2
            """);
        _setKeysThrough = new PreparedStatement(connection, "UPDATE ride_keys_through SET ride_row = ?1");
        _newestKeyedGeneration = new PreparedStatement(connection, "SELECT coalesce(max(generation), -1) FROM ride_keys");
        _findRow = new PreparedStatement(connection, "SELECT ride_row FROM ride_keys WHERE generation = ?1 AND ride_id = ?2");
        _selectOld = new PreparedStatement(connection,
            $"SELECT {RideSchema.Names.Ts}, {RideSchema.Names.Comfort}, {RideSchema.Names.DistanceKm}, {RideSchema.Names.PriceTotal} FROM rides WHERE rowid = ?1");
        var last = RideColumns.Names.Length + 1;
        _update = new PreparedStatement(connection,
            $"UPDATE rides SET {string.Join(", ", RideColumns.Names.Select((n, i) => $"{n} = ?{i + 1}"))} WHERE rowid = ?{last}");
        _applyDelta = new PreparedStatement(connection, """
            INSERT INTO minute_stats(minute, comfort, count, sum_distance, sum_price) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(minute, comfort) DO UPDATE SET
                count = count + excluded.count,
                sum_distance = sum_distance + excluded.sum_distance,
                sum_price = sum_price + excluded.sum_price
            """);
        _deleteEmpty = new PreparedStatement(connection,
            "DELETE FROM minute_stats WHERE minute = ?1 AND comfort = ?2 AND count <= 0");
        _allKeys = new PreparedStatement(connection, "SELECT ride_id FROM ride_keys");
        _rowsAfter = new PreparedStatement(connection, $"SELECT rowid, {RideSchema.Names.RideId} FROM rides WHERE rowid > ?1 ORDER BY rowid");
    }

    public IReadOnlyList<IndexRejection> Upsert(IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken)
    {
        List<IndexRejection>? rejections = null;
        _lastOccurrence.Clear();
        for (var i = 0; i < rides.Count; i++)
        {
            if (RejectionReason(rides[i]) is { } reason)
            {
                (rejections ??= []).Add(new IndexRejection(rides[i].RideId, reason));
            }
            else
            {
                _lastOccurrence[rides[i].RideId] = i;
            }
        }

        if (_lastOccurrence.Count > 0)
        {
            WriteTransaction.Run(_connection, tx => Write(rides, tx), cancellationToken);
            _seenRowid = _pendingSeenRowid;
            _writeOpen = false;
        }

        return rejections ?? (IReadOnlyList<IndexRejection>)[];
    }

    /// <summary>
    /// Repeatable: WriteTransaction may run it again after SQLITE_BUSY, so it starts from empty deltas and from the
    /// last committed rowid, and after a rolled-back attempt rebuilds the map of rows not keyed yet (ids a rolled-back
    /// attempt added to the filter only cost a lookup).
    /// </summary>
    private int Write(IReadOnlyList<FlatRide> rides, SqliteTransaction transaction)
    {
        _deltas.Clear();
        var keyedThrough = ReadKeyedThrough();
        if (_filters.Count == 0 || _writeOpen)
        {
            // First write, or the last one rolled back: the rows after ride_keys_through are read (again) below.
            if (_filters.Count == 0)
            {
                BuildFilter(transaction);
            }

            _unkeyedRows.Clear();
            _seenRowid = keyedThrough;
        }

        _writeOpen = true;
        ForgetKeyedRows(keyedThrough);
        _pendingSeenRowid = _seenRowid;
        CatchUpWithOtherWriters();
        // In the order given (a repeated ride at its last occurrence), which is nearly ts order: the ts indexes grow at
        // their right edge, and rides of equal ts are found newest first as they arrived. (Key order served ride_keys
        // when every ride was keyed as it was written.)
        for (var i = 0; i < rides.Count; i++)
        {
            var ride = rides[i];
            if (!_lastOccurrence.TryGetValue(ride.RideId, out var last) || last != i)
            {
                continue;
            }

            var row = MayContain(ride.RideId) ? FindRow(ride.RideId) : 0;
            if (row == 0)
            {
                Insert(ride);
            }
            else
            {
                Overwrite(row, ride);
            }

            DeltaOf(ride).Add(ride.DistanceKm, ride.PriceTotal);
        }

        KeyFullGenerations();

        foreach (var (key, delta) in _deltas)
        {
            if (delta.IsEmpty)
            {
                continue;
            }

            _applyDelta.Bind(1, key.MinuteMs);
            _applyDelta.Bind(2, (long)key.Comfort);
            _applyDelta.Bind(3, delta.Count);
            _applyDelta.Bind(4, delta.SumDistanceKm);
            _applyDelta.Bind(5, delta.SumPriceTotal);
            _applyDelta.Execute();
            if (delta.Count < 0)
            {
                _deleteEmpty.Bind(1, key.MinuteMs);
                _deleteEmpty.Bind(2, (long)key.Comfort);
                _deleteEmpty.Execute();
            }
        }

        return 0;
    }

    /// <summary>
    /// The rowid up to which ride_keys holds every ride, as committed (this runs in the write transaction, so no other
    /// writer moves it meanwhile).
    /// </summary>
    private long ReadKeyedThrough() =>
        _keysThrough.TryQueryInt64(out var keyedThrough)
            ? keyedThrough
            : throw new InvalidDataException($"{_connection.DataSource}: ride_keys_through has no row");

    /// <summary>
    /// Rows at or below <paramref name="keyedThrough"/> are found through ride_keys from now on, whoever keyed them
    /// (lookups then start at the newest generation there).
    /// </summary>
    private void ForgetKeyedRows(long keyedThrough)
    {
        if (keyedThrough == _keyedThroughRow)
        {
            return;
        }

        _keyedThroughRow = keyedThrough;
        _newestGeneration = _newestKeyedGeneration.TryQueryInt64(out var newest) ? newest : -1;
        _unkeyedRows.ForgetThrough(keyedThrough);
    }

    /// <summary>
    /// Once a write has filled generations (a row of a later one exists: rowids only grow), their keys go into
    /// ride_keys as one run in key order (SQLite sorts the ≤ 2^17 rows), appended at the B-tree's right edge, and
    /// ride_keys_through moves to the generation's last row. The map then drops them; if this transaction rolls back,
    /// the next write rebuilds the map from ride_keys_through as committed.
    /// </summary>
    private void KeyFullGenerations()
    {
        var lastFullRow = ((_pendingSeenRowid + 1) >> _generationBits << _generationBits) - 1;
        if (lastFullRow <= _keyedThroughRow)
        {
            return;
        }

        _keyRows.Bind(1, _keyedThroughRow);
        _keyRows.Bind(2, lastFullRow);
        _keyRows.Execute();
        _setKeysThrough.Bind(1, lastFullRow);
        _setKeysThrough.Execute();
        ForgetKeyedRows(lastFullRow);
    }

    /// <summary>
    /// Every keyed ride_id into a filter with room for twice the rides stored (one read of ride_keys: ~0.45 s per
    /// million rides, measured on a 5M index), in the write transaction, so no other writer can append in between;
    /// the rows not keyed yet are added by the catch-up that follows. The last rowid is the number of rides (rowids run
    /// from 1 and rides are never deleted), so no count(*) reads it all twice.
    /// </summary>
    private void BuildFilter(SqliteTransaction transaction)
    {
        var rideCount = SqliteFile.Scalar(_connection, "SELECT coalesce(max(rowid), 0) FROM rides", transaction);
        var filter = new RideIdFilter(Math.Max(_firstFilterCapacity, 2 * rideCount));
        try
        {
            while (_allKeys.StepToRow())
            {
                filter.Add(_allKeys.ColumnGuid(0));
            }
        }
        finally
        {
            _allKeys.Reset();
        }

        _filters.Add(filter);
    }

    /// <summary>Another process may write the same index (its rows are visible here: the write lock is held).</summary>
    private void CatchUpWithOtherWriters()
    {
        _rowsAfter.Bind(1, _seenRowid);
        try
        {
            while (_rowsAfter.StepToRow())
            {
                var row = _rowsAfter.ColumnInt64(0);
                Remember(_rowsAfter.ColumnGuid(1), row);
            }
        }
        finally
        {
            _rowsAfter.Reset();
        }
    }

    private bool MayContain(Guid rideId)
    {
        foreach (var filter in _filters)
        {
            if (filter.MayContain(rideId))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The ride's rowid, or 0 if it is not in the index (rowids start at 1). A ride_id is in one generation only.</summary>
    private long FindRow(Guid rideId)
    {
        var unkeyed = _unkeyedRows.RowOf(rideId);
        if (unkeyed != 0)
        {
            return unkeyed;
        }

        for (var generation = _newestGeneration; generation >= 0; generation--)
        {
            _findRow.Bind(1, generation);
            _findRow.Bind(2, rideId);
            if (_findRow.TryQueryInt64(out var row))
            {
                return row;
            }
        }

        return 0;
    }

    private void Insert(in FlatRide ride)
    {
        RideColumns.Bind(_insert, ride);
        _insert.Execute();
        Remember(ride.RideId, _insert.LastInsertRowid);
    }

    private void Remember(Guid rideId, long row)
    {
        var newest = _filters[^1];
        if (newest.Count >= newest.Capacity)
        {
            // A Bloom filter cannot grow; a second one twice the size keeps the false-positive rate without re-reading.
            newest = new RideIdFilter(2 * newest.Capacity);
            _filters.Add(newest);
        }

        newest.Add(rideId);
        if (row > _keyedThroughRow)
        {
            _unkeyedRows.Add(rideId, row);
        }

        _pendingSeenRowid = Math.Max(_pendingSeenRowid, row);
    }

    /// <summary>The ride exists at <paramref name="row"/>: take its old values out of the rollups, then replace the row.</summary>
    private void Overwrite(long row, in FlatRide ride)
    {
        _selectOld.Bind(1, row);
        try
        {
            if (!_selectOld.StepToRow())
            {
                throw new InvalidDataException($"ride {ride.RideId} is in ride_keys at row {row}, which rides does not hold");
            }

            var oldKey = new RollupKey(UnixMilliseconds.MinuteOf(_selectOld.ColumnInt64(0)), (Comfort)_selectOld.ColumnInt64(1));
            DeltaOf(oldKey).Subtract(_selectOld.ColumnDouble(2), _selectOld.ColumnDouble(3));
        }
        finally
        {
            _selectOld.Reset();
        }

        RideColumns.Bind(_update, ride);
        _update.Bind(RideColumns.Names.Length + 1, row);
        _update.Execute();
    }

    private ref RollupDelta DeltaOf(in FlatRide ride) =>
        ref DeltaOf(new RollupKey(UnixMilliseconds.MinuteOf(UnixMilliseconds.From(ride.TsUtc)), ride.Comfort));

    private ref RollupDelta DeltaOf(RollupKey key) =>
        ref CollectionsMarshal.GetValueRefOrAddDefault(_deltas, key, out _);

    /// <summary>
    /// The only rides refused for good: values SQLite cannot hold faithfully. NaN becomes NULL (the row would fail on
    /// every retry and stall the pipeline) and an infinity would poison every later sum of its rollup row.
    /// </summary>
    private static string? RejectionReason(in FlatRide ride)
    {
        if (!Enum.IsDefined(ride.Comfort))
        {
            return $"comfort {(int)ride.Comfort} is not a known level";
        }

        return RideSchema.FirstNonFinite(ride) is { } field
            ? $"{field.Name} is {field.NumberOf(ride)}: the index stores finite numbers only"
            : null;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _selectOld.Dispose();
        _update.Dispose();
        _applyDelta.Dispose();
        _deleteEmpty.Dispose();
        _keysThrough.Dispose();
        _keyRows.Dispose();
        _setKeysThrough.Dispose();
        _newestKeyedGeneration.Dispose();
        _findRow.Dispose();
        _allKeys.Dispose();
        _rowsAfter.Dispose();
    }
}
