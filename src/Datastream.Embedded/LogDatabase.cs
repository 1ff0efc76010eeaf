using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Opens connections to the log's SQLite file with the log's pragmas, and creates the catalog schema.
///
/// Schema:
/// <list type="bullet">
/// <item><c>topics(id, name, partitions, retention_ms, retention_bytes)</c></item>
/// <item><c>partitions(topic_id, partition, start_offset, next_offset, bytes)</c>: the first retained offset, the
/// high watermark and the retained payload size. Offsets are handed out from next_offset inside the appending write
/// transaction, so they are dense, start at 0 and are never reused after retention deletes.</item>
/// <item><c>b{topic_id}_{partition}(last_offset INTEGER PRIMARY KEY, base_offset, count, max_ts, bytes, codec, data)</c>:
/// one table per partition, one row per appended batch (the records of one produce call or unit of work, as Kafka
/// stores record batches), its records encoded in <c>data</c> as <see cref="RecordBatchFormat"/> describes, compressed
/// as <c>codec</c> (a <see cref="LogCompression"/> value, see <see cref="RecordBatchCodec"/>) says. The
/// last offset is the rowid, so appends are B-tree appends and "the batch holding offset X and the ones after it" is a
/// rowid range scan. max_ts and bytes (key + value bytes) let retention drop whole batches without decoding them.</item>
/// <item><c>group_offsets(grp, topic_id, partition, next_offset)</c>: committed offsets (next offset to read).</item>
/// <item><c>leases(grp, topic_id, partition, member, expires_ms, epoch)</c>: which member owns a partition of a group;
/// the epoch grows on every takeover and fences commits of former owners.</item>
/// <item><c>members(grp, member, expires_ms)</c>: live members (heartbeats), for the fair share.</item>
/// </list>
/// The schema version is kept in <c>PRAGMA user_version</c>; a file of another layout is refused, not migrated.
/// </summary>
internal sealed class LogDatabase
{
    /// <summary>
    /// 1 (implicit, user_version 0) was one row per record; 2 is one row per batch; 3 adds each batch's codec. A version
    /// 2 file is upgraded in place (<see cref="AddCodecColumns"/>), version 1 is refused.
    /// </summary>
    public const int SchemaVersion = 3;

    private const int UncompressedSchemaVersion = 2;

    /// <summary>
    /// Columns of a partition's batch table; data goes last so scans of the other columns skip its overflow pages.
    /// The codec is a column (not a header byte in data) because blobs of version 2 have no room for one: their first
    /// byte is a timestamp's. Its default, None, is what every version 2 batch is.
    /// </summary>
    public const string BatchColumns =
        "last_offset INTEGER PRIMARY KEY, base_offset INTEGER NOT NULL, count INTEGER NOT NULL, " +
        "max_ts INTEGER NOT NULL, bytes INTEGER NOT NULL, " + CodecColumn + ", data BLOB NOT NULL";

    private const string CodecColumn = "codec INTEGER NOT NULL DEFAULT 0";

    private readonly SqliteFile _file;
    private readonly EmbeddedLogOptions _options;

    public LogDatabase(EmbeddedLogOptions options)
    {
        _options = options;
        _file = new SqliteFile(options.DatabasePath, options.BusyTimeout, options.Synchronous);
    }

    public EmbeddedLogOptions Options => _options;

    public SqliteConnection Open() => _file.Open();

    public void EnsureSchema(SqliteConnection connection)
    {
        // page_size only takes effect on a new, empty file (before WAL): 32 KiB pages hold batch blobs in 8x fewer
        // overflow pages than the 4 KiB default, which measured 1.5-2x faster appends and unit-of-work commits.
        // journal_mode is persistent in the file; switching needs a moment of exclusive access, which busy_timeout covers.
        SqliteFile.Execute(connection, "PRAGMA page_size = 32768; PRAGMA journal_mode = WAL;");
        WriteTransaction.Run(connection, tx =>
        {
            var version = SqliteFile.Scalar(connection, "PRAGMA user_version", tx);
            if (version == SchemaVersion)
            {
                return 0;
            }

            if (version == UncompressedSchemaVersion)
            {
                AddCodecColumns(connection, tx);
                SqliteFile.Execute(connection, $"PRAGMA user_version = {SchemaVersion};", tx);
                return 0;
            }

            if (version != 0 || SqliteFile.Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", tx) > 0)
            {
                throw new InvalidDataException(
                    $"{_options.DatabasePath} has embedded log schema version {Math.Max(1, version)}, this build needs {SchemaVersion}: delete the file or use a new data directory");
            }

            SqliteFile.Execute(connection, """
                CREATE TABLE IF NOT EXISTS topics(
                    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, partitions INTEGER NOT NULL,
                    retention_ms INTEGER, retention_bytes INTEGER);
                CREATE TABLE IF NOT EXISTS partitions(
                    topic_id INTEGER NOT NULL, partition INTEGER NOT NULL, start_offset INTEGER NOT NULL,
                    next_offset INTEGER NOT NULL, bytes INTEGER NOT NULL,
                    PRIMARY KEY(topic_id, partition)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS group_offsets(
                    grp TEXT NOT NULL, topic_id INTEGER NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
                    PRIMARY KEY(grp, topic_id, partition)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS leases(
                    grp TEXT NOT NULL, topic_id INTEGER NOT NULL, partition INTEGER NOT NULL, member TEXT,
                    expires_ms INTEGER NOT NULL, epoch INTEGER NOT NULL,
                    PRIMARY KEY(grp, topic_id, partition)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS members(
                    grp TEXT NOT NULL, member TEXT NOT NULL, expires_ms INTEGER NOT NULL,
                    PRIMARY KEY(grp, member)) WITHOUT ROWID;
                """, tx);
            SqliteFile.Execute(connection, $"PRAGMA user_version = {SchemaVersion};", tx);
            return 0;
        }, CancellationToken.None);
    }

    /// <summary>
    /// Version 2 to 3: every existing batch table gains the codec column. ADD COLUMN with a constant default only
    /// rewrites the table's schema entry, not its rows (they read the default), so the upgrade is instant whatever the
    /// file's size. The column lands after data in these tables; reads name their columns, so the order is harmless.
    /// </summary>
    private static void AddCodecColumns(SqliteConnection connection, SqliteTransaction tx)
    {
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = "SELECT id, partitions FROM topics";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var topic = new TopicInfo(reader.GetInt64(0), "", reader.GetInt32(1), null, null);
                tables.AddRange(Enumerable.Range(0, topic.Partitions).Select(topic.TableOf));
            }
        }

        foreach (var table in tables)
        {
            SqliteFile.Execute(connection, $"ALTER TABLE {table} ADD COLUMN {CodecColumn};", tx);
        }
    }
}
