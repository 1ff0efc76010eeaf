using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Deletes the oldest batches of each partition beyond the topic's retention age or size and advances start_offset
/// to the first remaining batch (or the high watermark when none remains). As in Kafka, retention works on whole
/// batches: a batch goes when its newest record is too old, or when dropping it is needed to get under the size.
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
            {
                continue;
            }

            for (var partition = 0; partition < topic.Partitions; partition++)
            {
                deleted += WriteTransaction.Run(connection, tx => EnforcePartition(tx, topic, partition, nowMs), cancellationToken);
            }
        }

        return deleted;
    }

    private long EnforcePartition(SqliteTransaction tx, TopicInfo topic, int partition, long nowMs)
    {
        var table = topic.TableOf(partition);
        var (next, bytes) = LoadPartition(tx, topic.Id, partition);

        // Walk the batches oldest first (the columns before data only: no overflow pages are read) and find the
        // first one to keep.
        long? keepFrom = null;
        long dropped = 0, droppedBytes = 0;
        using (var scan = Command(tx, $"SELECT last_offset, count, max_ts, bytes FROM {table} ORDER BY last_offset"))
        using (var reader = scan.ExecuteReader())
        {
            while (reader.Read())
            {
                var tooOld = topic.RetentionMs is { } retentionMs && reader.GetInt64(2) < nowMs - retentionMs;
                var tooBig = topic.RetentionBytes is { } retentionBytes && bytes - droppedBytes > retentionBytes;
                if (!tooOld && !tooBig)
                {
                    keepFrom = reader.GetInt64(0);
                    break;
                }

                dropped += reader.GetInt64(1);
                droppedBytes += reader.GetInt64(3);
            }
        }

        if (dropped == 0)
        {
            return 0;
        }

        using (var delete = Command(tx, $"DELETE FROM {table} WHERE last_offset < $keep", ("$keep", keepFrom ?? long.MaxValue)))
        {
            delete.ExecuteNonQuery();
        }

        // The first kept batch starts where the dropped ones ended; with none kept, the log is empty at next_offset.
        var start = keepFrom is null ? next : Scalar(tx, $"SELECT base_offset FROM {table} WHERE last_offset = $keep", ("$keep", keepFrom.Value));
        using var update = Command(tx,
            "UPDATE partitions SET start_offset = $start, bytes = bytes - $b WHERE topic_id = $t AND partition = $p",
            ("$start", start), ("$b", droppedBytes), ("$t", topic.Id), ("$p", partition));
        update.ExecuteNonQuery();
        return dropped;
    }

    private (long Next, long Bytes) LoadPartition(SqliteTransaction tx, long topicId, int partition)
    {
        using var command = Command(tx, "SELECT next_offset, bytes FROM partitions WHERE topic_id = $t AND partition = $p",
            ("$t", topicId), ("$p", partition));
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private long Scalar(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(tx, sql, parameters);
        return (long)command.ExecuteScalar()!;
    }

    private SqliteCommand Command(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
