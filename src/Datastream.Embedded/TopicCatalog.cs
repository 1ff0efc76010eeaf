using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>Looks topics up on one connection and caches them (a topic's id and partition count never change).</summary>
internal sealed class TopicCatalog(SqliteConnection connection)
{
    private readonly Dictionary<string, TopicInfo> _cache = new(StringComparer.Ordinal);

    public TopicInfo Get(string name, SqliteTransaction? transaction = null) =>
        Find(name, transaction) ?? throw new UnknownTopicException(name);

    public TopicInfo? Find(string name, SqliteTransaction? transaction = null)
    {
        if (_cache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, partitions, retention_ms, retention_bytes FROM topics WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var topic = new TopicInfo(
            reader.GetInt64(0), name, reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3));
        _cache[name] = topic;
        return topic;
    }

    public IReadOnlyList<TopicInfo> All(SqliteTransaction? transaction = null)
    {
        var names = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT name FROM topics ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        return names.Select(n => Get(n, transaction)).ToList();
    }
}
