using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>A consumer's read position in one owned partition, with its prepared range read.</summary>
internal sealed class PartitionCursor : IDisposable
{
    private readonly SqliteCommand _read;
    private readonly SqliteParameter _from;
    private readonly SqliteParameter _limit;

    public PartitionCursor(SqliteConnection connection, TopicInfo topic, int partition, long position)
    {
        Topic = topic;
        Partition = partition;
        Position = position;
        _read = connection.CreateCommand();
        // Autocommit read outside any write transaction: it sees committed data only and never blocks writers.
        _read.CommandText = $"SELECT off, ts, key, value FROM {topic.TableOf(partition)} WHERE off >= $from ORDER BY off LIMIT $limit";
        _from = _read.Parameters.Add("$from", SqliteType.Integer);
        _limit = _read.Parameters.Add("$limit", SqliteType.Integer);
    }

    public TopicInfo Topic { get; }

    public int Partition { get; }

    /// <summary>The next offset to read. Records deleted by retention are skipped by the range read.</summary>
    public long Position { get; set; }

    /// <summary>Reads up to <paramref name="max"/> records from the position on and advances past them.</summary>
    public int Read(int max, List<LogRecord> into)
    {
        _from.Value = Position;
        _limit.Value = max;
        using var reader = _read.ExecuteReader();
        var count = 0;
        while (reader.Read())
        {
            var offset = reader.GetInt64(0);
            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)).UtcDateTime;
            var key = reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2);
            into.Add(new LogRecord(Topic.Name, Partition, offset, timestamp, key, reader.GetFieldValue<byte[]>(3)));
            Position = offset + 1;
            count++;
        }

        return count;
    }

    public void Dispose() => _read.Dispose();
}
