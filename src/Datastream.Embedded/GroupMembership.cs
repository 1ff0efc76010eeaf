using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// One member's view of the lease protocol of a consumer group. Every method runs inside the caller's write
/// transaction, so a rebalance, a takeover or a fenced commit is atomic with respect to all other processes.
///
/// Protocol: a partition of a group is owned by the member named in its lease row while the lease is unexpired.
/// Each rebalance (i) heartbeats the member row, (ii) counts live members and computes the fair share
/// ceil(partitions / live members), (iii) gives back partitions above the share, (iv) claims unowned or expired
/// partitions up to the share, bumping the row's epoch, and (v) renews the leases it keeps. A commit succeeds only if
/// every partition it commits offsets for still names this member with the epoch it claimed: a member that stalled
/// past its lease and was taken over is fenced even if it comes back before the new owner commits anything.
/// </summary>
internal sealed class GroupMembership(SqliteConnection connection, string group, string member, EmbeddedLogOptions options)
{
    private Dictionary<TopicPartition, long> _held = new();

    public string Group => group;

    public string Member => member;

    /// <summary>Owned partitions and the epoch each was claimed with.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Held => _held;

    /// <summary>Computes the new holding; apply it with <see cref="Apply"/> only after the transaction committed.</summary>
    public Rebalance Rebalance(SqliteTransaction tx, IReadOnlyList<TopicInfo> topics, long nowMs)
    {
        var expires = nowMs + (long)options.LeaseDuration.TotalMilliseconds;
        Execute(tx, """
            INSERT INTO members(grp, member, expires_ms) VALUES ($g, $m, $e)
            ON CONFLICT(grp, member) DO UPDATE SET expires_ms = excluded.expires_ms
            """, ("$e", expires));
        Execute(tx, "DELETE FROM members WHERE grp = $g AND expires_ms < $now", ("$now", nowMs));
        var liveMembers = Scalar(tx, "SELECT count(*) FROM members WHERE grp = $g");

        var rows = new Dictionary<(long TopicId, int Partition), (string? Member, long ExpiresMs, long Epoch)>();
        using (var command = Command(tx, "SELECT topic_id, partition, member, expires_ms, epoch FROM leases WHERE grp = $g"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows[(reader.GetInt64(0), reader.GetInt32(1))] = (reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4));
            }
        }

        var all = topics.SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => (Topic: t, Partition: p))).ToList();
        var kept = new Dictionary<TopicPartition, long>();
        foreach (var (topic, partition) in all)
        {
            var tp = new TopicPartition(topic.Name, partition);
            if (_held.TryGetValue(tp, out var epoch) && rows.TryGetValue((topic.Id, partition), out var row) && row.Member == member && row.Epoch == epoch)
            {
                kept[tp] = epoch;
            }
        }

        var lost = _held.Keys.Where(tp => !kept.ContainsKey(tp)).ToList();
        var share = (int)Math.Ceiling(all.Count / (double)Math.Max(1, liveMembers));

        // Give back the highest-numbered partitions above the fair share; claimers take the lowest free ones first.
        foreach (var (topic, partition) in all.AsEnumerable().Reverse())
        {
            var tp = new TopicPartition(topic.Name, partition);
            if (kept.Count <= share)
            {
                break;
            }

            if (!kept.Remove(tp))
            {
                continue;
            }

            Execute(tx, "UPDATE leases SET member = NULL, expires_ms = 0 WHERE grp = $g AND topic_id = $t AND partition = $p AND member = $m",
                ("$t", topic.Id), ("$p", partition));
            lost.Add(tp);
        }

        var claimed = new List<(TopicInfo Topic, int Partition)>();
        foreach (var (topic, partition) in all)
        {
            if (kept.Count >= share)
            {
                break;
            }

            var tp = new TopicPartition(topic.Name, partition);
            if (kept.ContainsKey(tp))
            {
                continue;
            }
            // A row naming this member that it does not hold is a leftover of an earlier incarnation: reclaim it.
            var free = !rows.TryGetValue((topic.Id, partition), out var row) || row.Member is null || row.ExpiresMs < nowMs || row.Member == member;
            if (!free)
            {
                continue;
            }

            var epoch = Scalar(tx, """
                INSERT INTO leases(grp, topic_id, partition, member, expires_ms, epoch) VALUES ($g, $t, $p, $m, $e, 1)
                ON CONFLICT(grp, topic_id, partition) DO UPDATE SET member = excluded.member, expires_ms = excluded.expires_ms, epoch = epoch + 1
                RETURNING epoch
                """, ("$t", topic.Id), ("$p", partition), ("$e", expires));
            kept[tp] = epoch;
            claimed.Add((topic, partition));
        }

        Execute(tx, "UPDATE leases SET expires_ms = $e WHERE grp = $g AND member = $m", ("$e", expires));
        return new Rebalance(kept, claimed, lost);
    }

    public void Apply(Rebalance rebalance) => _held = new Dictionary<TopicPartition, long>(rebalance.Held);

    /// <summary>The fencing check: partitions among <paramref name="committing"/> this member no longer owns at its epoch.</summary>
    public List<TopicPartition> FindLost(SqliteTransaction tx, IEnumerable<(TopicInfo Topic, int Partition)> committing)
    {
        var lost = new List<TopicPartition>();
        using var command = Command(tx, "SELECT member, epoch FROM leases WHERE grp = $g AND topic_id = $t AND partition = $p");
        var topicId = command.Parameters.Add("$t", SqliteType.Integer);
        var partitionId = command.Parameters.Add("$p", SqliteType.Integer);
        foreach (var (topic, partition) in committing)
        {
            var tp = new TopicPartition(topic.Name, partition);
            if (!_held.TryGetValue(tp, out var epoch))
            {
                lost.Add(tp);
                continue;
            }

            topicId.Value = topic.Id;
            partitionId.Value = partition;
            using var reader = command.ExecuteReader();
            if (!reader.Read() || reader.IsDBNull(0) || reader.GetString(0) != member || reader.GetInt64(1) != epoch)
            {
                lost.Add(tp);
            }
        }

        return lost;
    }

    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            _held.Remove(tp);
        }
    }

    /// <summary>Leaves the group: releases every lease at once so other members need not wait for expiry.</summary>
    public void Leave(SqliteTransaction tx)
    {
        Execute(tx, "UPDATE leases SET member = NULL, expires_ms = 0 WHERE grp = $g AND member = $m");
        Execute(tx, "DELETE FROM members WHERE grp = $g AND member = $m");
    }

    private void Execute(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(tx, sql, parameters);
        command.ExecuteNonQuery();
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
        if (sql.Contains("$g", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$g", group);
        }

        if (sql.Contains("$m", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("$m", member);
        }

        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
