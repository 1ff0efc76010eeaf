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
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _selectOld;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _applyDelta;
    private readonly SqliteCommand _deleteEmpty;
    private readonly Dictionary<Guid, int> _lastOccurrence = new();
    private readonly Dictionary<RollupKey, RollupDelta> _deltas = new();

    public RideWriter(SqliteConnection connection)
    {
        _connection = connection;
        _insert = Command($"INSERT INTO rides({RideColumns.List}) VALUES ({string.Join(", ", RideColumns.Names.Select(n => "$" + n))}) ON CONFLICT(ride_id) DO NOTHING");
        RideColumns.AddParameters(_insert);

        _selectOld = Command("SELECT ts, comfort, distance_km, price_total FROM rides WHERE ride_id = $ride_id");
        _selectOld.Parameters.Add("$ride_id", SqliteType.Blob);

        _update = Command($"UPDATE rides SET {string.Join(", ", RideColumns.Names.Skip(1).Select(n => $"{n} = ${n}"))} WHERE ride_id = $ride_id");
        RideColumns.AddParameters(_update);

        _applyDelta = Command("""
            INSERT INTO minute_stats(minute, comfort, count, sum_distance, sum_price) VALUES ($minute, $comfort, $count, $distance, $price)
            ON CONFLICT(minute, comfort) DO UPDATE SET
                count = count + excluded.count,
                sum_distance = sum_distance + excluded.sum_distance,
                sum_price = sum_price + excluded.sum_price
            """);
        _applyDelta.Parameters.Add("$minute", SqliteType.Integer);
        _applyDelta.Parameters.Add("$comfort", SqliteType.Integer);
        _applyDelta.Parameters.Add("$count", SqliteType.Integer);
        _applyDelta.Parameters.Add("$distance", SqliteType.Real);
        _applyDelta.Parameters.Add("$price", SqliteType.Real);

        _deleteEmpty = Command("DELETE FROM minute_stats WHERE minute = $minute AND comfort = $comfort AND count <= 0");
        _deleteEmpty.Parameters.Add("$minute", SqliteType.Integer);
        _deleteEmpty.Parameters.Add("$comfort", SqliteType.Integer);
    }

    public IReadOnlyList<IndexRejection> Upsert(IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken)
    {
        List<IndexRejection>? rejections = null;
        _lastOccurrence.Clear();
        for (var i = 0; i < rides.Count; i++)
        {
            if (RejectionReason(rides[i]) is { } reason)
                (rejections ??= []).Add(new IndexRejection(rides[i].RideId, reason));
            else
                _lastOccurrence[rides[i].RideId] = i;
        }

        if (_lastOccurrence.Count > 0)
            WriteTransaction.Run(_connection, tx => Write(rides, tx), cancellationToken);
        return rejections ?? (IReadOnlyList<IndexRejection>)[];
    }

    /// <summary>Repeatable: WriteTransaction may run it again after SQLITE_BUSY, so it starts from empty deltas.</summary>
    private int Write(IReadOnlyList<FlatRide> rides, SqliteTransaction transaction)
    {
        _insert.Transaction = _selectOld.Transaction = _update.Transaction = transaction;
        _applyDelta.Transaction = _deleteEmpty.Transaction = transaction;
        _deltas.Clear();
        for (var i = 0; i < rides.Count; i++)
        {
            var ride = rides[i];
            if (!_lastOccurrence.TryGetValue(ride.RideId, out var last) || last != i)
                continue; // rejected, or a later occurrence in this call wins
            RideColumns.Bind(_insert, ride);
            if (_insert.ExecuteNonQuery() == 0)
                Overwrite(ride);
            DeltaOf(ride).Add(ride.DistanceKm, ride.PriceTotal);
        }

        foreach (var (key, delta) in _deltas)
        {
            if (delta.IsEmpty)
                continue;
            var p = _applyDelta.Parameters;
            p[0].Value = key.MinuteMs;
            p[1].Value = (long)key.Comfort;
            p[2].Value = delta.Count;
            p[3].Value = delta.SumDistanceKm;
            p[4].Value = delta.SumPriceTotal;
            _applyDelta.ExecuteNonQuery();
            if (delta.Count < 0)
            {
                _deleteEmpty.Parameters[0].Value = key.MinuteMs;
                _deleteEmpty.Parameters[1].Value = (long)key.Comfort;
                _deleteEmpty.ExecuteNonQuery();
            }
        }

        return 0;
    }

    /// <summary>The ride exists: take its old values out of the rollups, then replace the row.</summary>
    private void Overwrite(in FlatRide ride)
    {
        _selectOld.Parameters[0].Value = ride.RideId;
        using (var reader = _selectOld.ExecuteReader())
        {
            if (!reader.Read())
                throw new InvalidOperationException($"ride {ride.RideId} conflicted on insert but cannot be read back");
            var oldKey = new RollupKey(UnixMilliseconds.MinuteOf(reader.GetInt64(0)), (Comfort)reader.GetInt64(1));
            DeltaOf(oldKey).Subtract(reader.GetDouble(2), reader.GetDouble(3));
        }

        RideColumns.Bind(_update, ride);
        _update.ExecuteNonQuery();
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
            return $"comfort {(int)ride.Comfort} is not a known level";
        ReadOnlySpan<double> values =
        [
            ride.OriginLat, ride.OriginLon, ride.DestinationLat, ride.DestinationLon, ride.DurationMin,
            ride.PriceBase, ride.PricePerKm, ride.PricePerMin, ride.DistanceKm, ride.PriceTotal,
        ];
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                return $"{RideColumns.Names[i + 3]} is {values[i]}: the index stores finite numbers only";
        }

        return null;
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
