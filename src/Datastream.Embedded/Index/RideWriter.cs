using System.Buffers.Binary;
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
/// How the rollups stay right under replays and overwrites: each ride is first inserted with
/// <c>ON CONFLICT DO NOTHING</c>. A new ride adds itself to its (minute, comfort) delta. Only on a conflict is the old
/// row read: its old values are subtracted from its old (minute, comfort) delta (which may differ from the new one)
/// and the new values added, then the row is overwritten. The deltas of the call are summed in memory and applied
/// with one upsert per touched (minute, comfort) row; a row whose count falls to zero is deleted. The same ride twice
/// in one call is written once (its last occurrence wins).
/// </summary>
internal sealed class RideWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly PreparedStatement _insert;
    private readonly PreparedStatement _selectOld;
    private readonly PreparedStatement _update;
    private readonly PreparedStatement _applyDelta;
    private readonly PreparedStatement _deleteEmpty;
    private readonly Dictionary<Guid, int> _lastOccurrence = new();
    private readonly Dictionary<RollupKey, RollupDelta> _deltas = new();
    private readonly List<(ulong KeyPrefix, int Index)> _writeOrder = [];

    public RideWriter(SqliteConnection connection)
    {
        _connection = connection;
        var placeholders = string.Join(", ", RideColumns.Names.Select((_, i) => $"?{i + 1}"));
        _insert = new PreparedStatement(connection,
            $"INSERT INTO rides({RideColumns.List}) VALUES ({placeholders}) ON CONFLICT({RideSchema.Names.RideId}) DO NOTHING");
        _selectOld = new PreparedStatement(connection,
            $"SELECT {RideSchema.Names.Ts}, {RideSchema.Names.Comfort}, {RideSchema.Names.DistanceKm}, {RideSchema.Names.PriceTotal} FROM rides WHERE {RideSchema.Names.RideId} = ?1");
        _update = new PreparedStatement(connection,
            $"UPDATE rides SET {string.Join(", ", RideColumns.Names.Select((n, i) => $"{n} = ?{i + 1}").Skip(1))} WHERE {RideSchema.Names.RideId} = ?1");
        _applyDelta = new PreparedStatement(connection, """
            INSERT INTO minute_stats(minute, comfort, count, sum_distance, sum_price) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(minute, comfort) DO UPDATE SET
                count = count + excluded.count,
                sum_distance = sum_distance + excluded.sum_distance,
                sum_price = sum_price + excluded.sum_price
            """);
        _deleteEmpty = new PreparedStatement(connection,
            "DELETE FROM minute_stats WHERE minute = ?1 AND comfort = ?2 AND count <= 0");
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
        }

        return rejections ?? (IReadOnlyList<IndexRejection>)[];
    }

    /// <summary>Repeatable: WriteTransaction may run it again after SQLITE_BUSY, so it starts from empty deltas.</summary>
    private int Write(IReadOnlyList<FlatRide> rides, SqliteTransaction transaction)
    {
        _deltas.Clear();
        foreach (var (_, i) in InKeyOrder())
        {
            var ride = rides[i];
            RideColumns.Bind(_insert, ride);
            if (_insert.Execute() == 0)
            {
                Overwrite(ride);
            }

            DeltaOf(ride).Add(ride.DistanceKm, ride.PriceTotal);
        }

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
    /// The rides to write (rejected ones and all but the last occurrence of a ride_id left out) in the order of their
    /// key's bytes as stored. ride_ids are random: in arrival order each insert lands on a random leaf of the primary key
    /// index, which for a table larger than the page cache means a page read per ride and dirty pages spilled
    /// mid-transaction. In key order the batch walks the index once from left to right and dirties each leaf once.
    /// </summary>
    private List<(ulong KeyPrefix, int Index)> InKeyOrder()
    {
        _writeOrder.Clear();
        Span<byte> key = stackalloc byte[16];
        foreach (var (rideId, i) in _lastOccurrence)
        {
            // The first 8 of the 16 bytes PreparedStatement binds, big-endian: SQLite compares BLOBs with memcmp.
            rideId.TryWriteBytes(key);
            _writeOrder.Add((BinaryPrimitives.ReadUInt64BigEndian(key), i));
        }

        _writeOrder.Sort();
        return _writeOrder;
    }

    /// <summary>The ride exists: take its old values out of the rollups, then replace the row.</summary>
    private void Overwrite(in FlatRide ride)
    {
        _selectOld.Bind(1, ride.RideId);
        try
        {
            if (!_selectOld.StepToRow())
            {
                throw new InvalidOperationException($"ride {ride.RideId} conflicted on insert but cannot be read back");
            }

            var oldKey = new RollupKey(UnixMilliseconds.MinuteOf(_selectOld.ColumnInt64(0)), (Comfort)_selectOld.ColumnInt64(1));
            DeltaOf(oldKey).Subtract(_selectOld.ColumnDouble(2), _selectOld.ColumnDouble(3));
        }
        finally
        {
            _selectOld.Reset();
        }

        RideColumns.Bind(_update, ride);
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

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _selectOld.Dispose();
        _update.Dispose();
        _applyDelta.Dispose();
        _deleteEmpty.Dispose();
    }
}
