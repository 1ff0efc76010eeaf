using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;
using static Datastream.Embedded.Tests.LogScenario;

namespace Datastream.Embedded.Tests;

/// <summary>
/// Batch rows are compressed with the log's codec, which each row records: every codec round-trips, a log mixing
/// codecs (or written before compression existed) reads as one, and sizes keep counting records uncompressed.
/// </summary>
public sealed class BatchCompressionTests
{
    [Theory]
    [InlineData(LogCompression.None)]
    [InlineData(LogCompression.Lz4)]
    [InlineData(LogCompression.Zstd)]
    public async Task Each_codec_round_trips_records_and_stores_them_with_its_codec(LogCompression compression)
    {
        using var dir = new TemporaryDirectory();
        var rides = Rides(3_000, seed: 1);
        await using (var log = new SqliteLog(Options(dir) with { Compression = compression }))
        {
            await log.CreateTopicAsync(new TopicSpec("t"), Ct);
            await ProduceRidesAsync(log, rides[..1_000]);
            await ProduceRidesAsync(log, rides[1_000..]);

            await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
            var records = await DrainAsync(consumer, rides.Length, maxPerPoll: 700);
            AssertRides(rides, records);
        }

        var stored = StoredBatches(dir, "t");
        Assert.Equal([compression], stored.Codecs);
        // bytes (retention's measure) count keys and values as produced, whatever the codec.
        Assert.Equal(rides.Sum(r => (long)r.Key.Length + r.Value.Length), stored.PayloadBytes);
        Assert.Equal(stored.PayloadBytes, stored.PartitionBytes);
        if (compression == LogCompression.None)
        {
            Assert.True(stored.DataBytes > stored.PayloadBytes, $"{stored.DataBytes} stored for {stored.PayloadBytes} of records");
        }
        else
        {
            // Ride JSON shrinks several times; half is a bound no working codec misses.
            Assert.True(stored.DataBytes < stored.PayloadBytes / 2, $"{compression}: {stored.DataBytes} stored for {stored.PayloadBytes} of records");
        }
    }

    [Fact]
    public async Task A_log_mixing_codecs_reads_as_one_in_offset_order()
    {
        using var dir = new TemporaryDirectory();
        var rides = Rides(1_200, seed: 2);
        LogCompression[] codecs = [LogCompression.None, LogCompression.Lz4, LogCompression.Zstd, LogCompression.Lz4];
        for (var i = 0; i < codecs.Length; i++)
        {
            await using var log = new SqliteLog(Options(dir) with { Compression = codecs[i] });
            await log.CreateTopicAsync(new TopicSpec("t"), Ct);
            await ProduceRidesAsync(log, rides[(i * 300)..((i + 1) * 300)]);
        }

        await using (var log = new SqliteLog(Options(dir)))
        {
            // Small polls stop inside batches, so reads resume mid-batch across codec boundaries.
            await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
            AssertRides(rides, await DrainAsync(consumer, rides.Length, maxPerPoll: 170));
        }

        Assert.Equal(codecs, StoredBatches(dir, "t").Codecs);
    }

    [Fact]
    public async Task A_log_written_before_compression_is_read_and_then_appended_to_compressed()
    {
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "log.db");
        var old = Rides(500, seed: 3);
        WriteUncompressedLog(path, "t", old[..200], old[200..]);

        var added = Rides(300, seed: 4);
        await using (var log = new SqliteLog(Options(dir) with { Compression = LogCompression.Zstd }))
        {
            await using (var consumer = log.CreateConsumer(new ConsumerSpec("before", ["t"])))
            {
                AssertRides(old, await DrainAsync(consumer, old.Length, maxPerPoll: 150));
            }

            await ProduceRidesAsync(log, added);
            await using var all = log.CreateConsumer(new ConsumerSpec("after", ["t"]));
            AssertRides([.. old, .. added], await DrainAsync(all, old.Length + added.Length, maxPerPoll: 260));
            Assert.Equal(800, (await log.DescribeTopicAsync("t", Ct))!.Partitions[0].EndOffset);
        }

        var stored = StoredBatches(dir, "t");
        Assert.Equal([LogCompression.None, LogCompression.Zstd], stored.Codecs);
        Assert.Equal(stored.PayloadBytes, stored.PartitionBytes);
        await using var connection = Open(path);
        Assert.Equal(3L, Scalar(connection, "PRAGMA user_version"));
    }

    [Fact]
    public async Task A_compressed_batch_that_does_not_decode_fails_the_poll()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(Options(dir) with { Compression = LogCompression.Lz4 });
        await log.CreateTopicAsync(new TopicSpec("t"), Ct);
        await ProduceRidesAsync(log, Rides(100, seed: 5));
        await using (var connection = Open(Path.Combine(dir.Path, "log.db")))
        {
            using var truncate = connection.CreateCommand();
            truncate.CommandText = $"UPDATE {TableOf(connection, "t")} SET data = substr(data, 1, length(data) - 16)";
            Assert.Equal(1, truncate.ExecuteNonQuery());
        }

        await using var consumer = log.CreateConsumer(new ConsumerSpec("g", ["t"]));
        await Assert.ThrowsAsync<InvalidDataException>(() => consumer.PollAsync(10, TimeSpan.Zero, Ct).AsTask());
    }

    // ---- data and storage ---------------------------------------------------------------------------------------

    private sealed record Ride(byte[] Key, byte[] Value);

    private sealed record Stored(IReadOnlyList<LogCompression> Codecs, long PayloadBytes, long DataBytes, long PartitionBytes);

    /// <summary>Keyed JSON records shaped like rides_raw's (ids, coordinates, timestamps), from a seed.</summary>
    private static Ride[] Rides(int count, int seed)
    {
        var random = new Random(seed);
        string[] comforts = ["low", "medium", "high"];
        return Enumerable.Range(0, count).Select(i =>
        {
            var id = new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16)).ToString();
            var json = string.Create(CultureInfo.InvariantCulture,
                $"{{\"ride_id\":\"{id}\",\"ts\":\"2025-10-30T16:{i / 60 % 60:00}:{i % 60:00}.{random.Next(1000):000}Z\"," +
                $"\"origin\":{{\"lat\":{40.55 + random.NextDouble() * 0.35:F6},\"lon\":{-74.1 + random.NextDouble() * 0.4:F6}}}," +
                $"\"destination\":{{\"lat\":{40.55 + random.NextDouble() * 0.35:F6},\"lon\":{-74.1 + random.NextDouble() * 0.4:F6}}}," +
                $"\"comfort\":\"{comforts[random.Next(3)]}\",\"duration_min\":{3 + random.NextDouble() * 57:F1}}}");
            return new Ride(Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(json));
        }).ToArray();
    }

    private static async Task ProduceRidesAsync(ILog log, IEnumerable<Ride> rides)
    {
        await using var producer = log.CreateProducer();
        await producer.ProduceAsync(rides.Select(r => new OutgoingRecord("t", r.Key, r.Value)).ToList(), Ct);
    }

    private static void AssertRides(IReadOnlyList<Ride> expected, IReadOnlyList<LogRecord> records)
    {
        Assert.Equal(Enumerable.Range(0, expected.Count).Select(i => (long)i), records.Select(r => r.Offset));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, records[i].Key);
            Assert.Equal(expected[i].Value, records[i].Value);
        }
    }

    private static Stored StoredBatches(TemporaryDirectory dir, string topic)
    {
        using var connection = Open(Path.Combine(dir.Path, "log.db"));
        var table = TableOf(connection, topic);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT codec, bytes, length(data) FROM {table} ORDER BY last_offset";
        var codecs = new List<LogCompression>();
        long payload = 0, data = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var codec = (LogCompression)reader.GetInt32(0);
                if (codecs.Count == 0 || codecs[^1] != codec)
                {
                    codecs.Add(codec);
                }

                payload += reader.GetInt64(1);
                data += reader.GetInt64(2);
            }
        }

        return new Stored(codecs, payload, data, Scalar(connection, "SELECT bytes FROM partitions"));
    }

    private static string TableOf(SqliteConnection connection, string topic)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM topics WHERE name = $n";
        command.Parameters.AddWithValue("$n", topic);
        return $"b{(long)command.ExecuteScalar()!}_0";
    }

    /// <summary>
    /// A one-partition log as schema version 2 stored it (no codec column, records uncompressed), one row per batch,
    /// encoded here from the layout's description rather than by the code under test.
    /// </summary>
    private static void WriteUncompressedLog(string path, string topic, params Ride[][] batches)
    {
        using var connection = Open(path);
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, partitions INTEGER NOT NULL,
                retention_ms INTEGER, retention_bytes INTEGER);
            CREATE TABLE partitions(topic_id INTEGER NOT NULL, partition INTEGER NOT NULL, start_offset INTEGER NOT NULL,
                next_offset INTEGER NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY(topic_id, partition)) WITHOUT ROWID;
            CREATE TABLE group_offsets(grp TEXT NOT NULL, topic_id INTEGER NOT NULL, partition INTEGER NOT NULL,
                next_offset INTEGER NOT NULL, PRIMARY KEY(grp, topic_id, partition)) WITHOUT ROWID;
            CREATE TABLE leases(grp TEXT NOT NULL, topic_id INTEGER NOT NULL, partition INTEGER NOT NULL, member TEXT,
                expires_ms INTEGER NOT NULL, epoch INTEGER NOT NULL, PRIMARY KEY(grp, topic_id, partition)) WITHOUT ROWID;
            CREATE TABLE members(grp TEXT NOT NULL, member TEXT NOT NULL, expires_ms INTEGER NOT NULL,
                PRIMARY KEY(grp, member)) WITHOUT ROWID;
            CREATE TABLE b1_0(last_offset INTEGER PRIMARY KEY, base_offset INTEGER NOT NULL, count INTEGER NOT NULL,
                max_ts INTEGER NOT NULL, bytes INTEGER NOT NULL, data BLOB NOT NULL);
            PRAGMA user_version = 2;
            """);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO b1_0(last_offset, base_offset, count, max_ts, bytes, data) VALUES ($l, $b, $c, $t, $n, $d)";
        long next = 0, total = 0, timestampMs = 1_761_840_000_000;
        foreach (var batch in batches)
        {
            var data = new List<byte>();
            long bytes = 0;
            foreach (var ride in batch)
            {
                var header = new byte[12];
                BinaryPrimitives.WriteInt64LittleEndian(header, timestampMs);
                BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), ride.Key.Length);
                var length = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, ride.Value.Length);
                data.AddRange([.. header, .. ride.Key, .. length, .. ride.Value]);
                bytes += ride.Key.Length + ride.Value.Length;
            }

            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$l", next + batch.Length - 1);
            insert.Parameters.AddWithValue("$b", next);
            insert.Parameters.AddWithValue("$c", batch.Length);
            insert.Parameters.AddWithValue("$t", timestampMs);
            insert.Parameters.AddWithValue("$n", bytes);
            insert.Parameters.AddWithValue("$d", data.ToArray());
            insert.ExecuteNonQuery();
            next += batch.Length;
            total += bytes;
        }

        Execute(connection, string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO topics VALUES (1, '{topic}', 1, NULL, NULL); INSERT INTO partitions VALUES (1, 0, 0, {next}, {total});"));
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
