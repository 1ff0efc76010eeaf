using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Deletes the oldest records of each partition beyond the topic's retention age or size and advances start_offset.
/// One short write transaction per partition, so producers of other partitions are not held up for long.
/// Consumers whose position fell below the new start simply continue from it (their range reads skip the gap).
/// </summary>
internal sealed class RetentionEnforcer(SqliteConnection connection, TopicCatalog catalog)
{
    /// <summary>Returns the number of records deleted.</summary>
    public long Enforce(long nowMs, CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var topic in catalog.All())
        {
            if (topic.RetentionMs is null && topic.RetentionBytes is null)
                continue;
            for (var partition = 0; partition < topic.Partitions; partition++)
                deleted += WriteTransaction.Run(connection, tx => EnforcePartition(tx, topic, partition, nowMs), cancellationToken);
        }

        return deleted;
    }

    private long EnforcePartition(SqliteTransaction tx, TopicInfo topic, int partition, long nowMs)
    {
        var table = topic.TableOf(partition);
        var (start, next, bytes) = LoadPartition(tx, topic.Id, partition);
        var cut = start;

        if (topic.RetentionMs is { } retentionMs)
        {
            // Timestamps grow with offsets, so the records to drop are the prefix before the first young one.
            var firstYoung = Scalar(tx, $"SELECT off FROM {table} WHERE ts >= $cut ORDER BY off LIMIT 1", ("$cut", nowMs - retentionMs));
            cut = Math.Max(cut, firstYoung ?? next);
        }

        if (topic.RetentionBytes is { } retentionBytes)
        {
            var remaining = bytes - (cut > start ? SizeBelow(tx, table, cut) : 0);
            if (remaining > retentionBytes)
                cut = Math.Max(cut, CutForSize(tx, table, cut, remaining - retentionBytes));
        }

        if (cut <= start)
            return 0;

        var removedBytes = SizeBelow(tx, table, cut);
        using var delete = Command(tx, $"DELETE FROM {table} WHERE off < $cut", ("$cut", cut));
        var deleted = delete.ExecuteNonQuery();
        using var update = Command(tx,
            "UPDATE partitions SET start_offset = $cut, bytes = bytes - $b WHERE topic_id = $t AND partition = $p",
            ("$cut", cut), ("$b", removedBytes), ("$t", topic.Id), ("$p", partition));
        update.ExecuteNonQuery();
        return deleted;
    }

    /// <summary>The first offset to keep so that at least <paramref name="excess"/> bytes from <paramref name="from"/> on are dropped.</summary>
    private long CutForSize(SqliteTransaction tx, string table, long from, long excess)
    {
        using var command = Command(tx, $"SELECT off, ifnull(length(key), 0) + length(value) FROM {table} WHERE off >= $from ORDER BY off", ("$from", from));
        using var reader = command.ExecuteReader();
        long dropped = 0;
        var cut = from;
        while (dropped < excess && reader.Read())
        {
            dropped += reader.GetInt64(1);
            cut = reader.GetInt64(0) + 1;
        }

        return cut;
    }

    private long SizeBelow(SqliteTransaction tx, string table, long cut) =>
        Scalar(tx, $"SELECT ifnull(sum(ifnull(length(key), 0) + length(value)), 0) FROM {table} WHERE off < $cut", ("$cut", cut)) ?? 0;

    private (long Start, long Next, long Bytes) LoadPartition(SqliteTransaction tx, long topicId, int partition)
    {
        using var command = Command(tx, "SELECT start_offset, next_offset, bytes FROM partitions WHERE topic_id = $t AND partition = $p",
            ("$t", topicId), ("$p", partition));
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private long? Scalar(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(tx, sql, parameters);
        return command.ExecuteScalar() is long value ? value : null;
    }

    private SqliteCommand Command(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}
