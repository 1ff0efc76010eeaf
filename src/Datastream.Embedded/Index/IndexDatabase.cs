using Datastream.Core.Rides;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Index;

/// <summary>
/// Opens connections to the index's SQLite file and creates its schema.
///
/// Schema (version in <c>PRAGMA user_version</c>; a file of another layout is refused, not migrated):
/// <list type="bullet">
/// <item><c>rides</c>: one row per ride_id (the flattened document of SPEC §3.6). ride_id is a 16-byte BLOB; ts and
/// agent_timestamp are Unix milliseconds; comfort is 0 low, 1 medium, 2 high. A rowid table with no key on ride_id, so
/// rows are appended in arrival order and rowids only grow (rides are never deleted). Indexes: ts (time range,
/// newest-first), (comfort, ts), agent_timestamp (latest indexed); price filters ride on the ts indexes.</item>
/// <item><c>ride_keys(generation, ride_id, ride_row)</c>: where each ride_id's row is, keyed by generation first. The
/// generation is the row's rowid shifted right (2^17 rows each). A generation's keys are written once it is full, as
/// one run in key order at the B-tree's right edge, in the write transaction that fills it. A unique index on the
/// random ride_id itself made every write transaction dirty leaves across the whole index (upserts slowed from ~12 to
/// ~45 µs per ride as it grew to millions), and even keys inserted ride by ride into the generation being filled took
/// ~2.5 µs of the writer's ~10 µs per ride. Finding a ride_id means one lookup per generation plus a scan of the rows
/// not keyed yet (less than one generation); the writer skips all that for rides its <see cref="RideIdFilter"/> has
/// never seen (nearly all of them) and holds the rows not keyed yet in memory.</item>
/// <item><c>ride_keys_through(ride_row)</c>: one row, the rowid up to which ride_keys holds every ride; the rides after
/// it are not keyed yet.</item>
/// <item><c>minute_stats(minute, comfort, count, sum_distance, sum_price)</c>: per minute of ride ts (minute start,
/// Unix ms) and comfort, the count and sums of the rides currently in <c>rides</c>; kept in the same transaction as
/// the rides, so the two never disagree. Rows whose count falls to zero are deleted.</item>
/// </list>
/// </summary>
internal sealed class IndexDatabase
{
    /// <summary>
    /// 4: ride_keys written a full generation at a time (ride_keys_through says how far). 3 (every ride keyed as it was
    /// written) and 2 (ride_id the primary key of rides, no index on price_total) are migrated in place on first open.
    /// </summary>
    public const int SchemaVersion = 4;

    private const int EveryRideKeyedVersion = 3;

    private const int PrimaryKeyOnRideIdVersion = 2;

    /// <summary>
    /// Set when the file is created. 16 KiB pages measured ~20% faster upserts than the 4 KiB default: shallower
    /// B-trees for the five indexes each insert touches.
    /// </summary>
    private const int PageSize = 16384;

    private readonly EmbeddedIndexOptions _options;
    private readonly SqliteFile _file;

    public IndexDatabase(EmbeddedIndexOptions options)
    {
        _options = options;
        _file = new SqliteFile(options.DatabasePath, options.BusyTimeout, options.Synchronous);
    }

    public EmbeddedIndexOptions Options => _options;

    /// <summary>
    /// The connection that writes: a larger page cache for random index inserts, and checkpoints every ~64 MiB of WAL
    /// instead of SQLite's default 4 MiB (each checkpoint fsyncs the database; at the default they took a third of
    /// the upsert time).
    /// </summary>
    public SqliteConnection OpenWriter() =>
        Open($"PRAGMA cache_size = {-1024L * _options.WriterCacheMebibytes}; PRAGMA wal_autocheckpoint = {64 * 1024 * 1024 / PageSize};");

    /// <summary>A connection that only reads (query_only guards against a stray write taking the write lock).</summary>
    public SqliteConnection OpenReader() => Open("PRAGMA query_only = ON;");

    private SqliteConnection Open(string extraPragmas) => _file.Open(extraPragmas);

    public void EnsureSchema(SqliteConnection connection)
    {
        // A reader process opening an existing index must not take the write lock (the pipeline holds it often):
        // check first, and only create under BEGIN IMMEDIATE when the file is new.
        if (SqliteFile.Scalar(connection, "PRAGMA user_version") == SchemaVersion)
        {
            return;
        }

        // page_size only takes effect on a new, empty file (before WAL). journal_mode is persistent in the file;
        // switching needs a moment of exclusive access, which busy_timeout covers.
        SqliteFile.Execute(connection, $"PRAGMA page_size = {PageSize}; PRAGMA journal_mode = WAL;");
        WriteTransaction.Run(connection, tx =>
        {
            var version = SqliteFile.Scalar(connection, "PRAGMA user_version", tx);
            if (version == SchemaVersion)
            {
                return 0;
            }

            if (version is PrimaryKeyOnRideIdVersion or EveryRideKeyedVersion)
            {
                if (version == PrimaryKeyOnRideIdVersion)
                {
                    MigrateFromPrimaryKeyOnRideId(connection, tx);
                }

                // Both layouts keyed every ride they hold.
                SqliteFile.Execute(connection, $"""
                    {RideKeysThroughTable}
                    INSERT INTO ride_keys_through(ride_row) SELECT coalesce(max(rowid), 0) FROM rides;
                    """, tx);
            }
            else if (version != 0 || SqliteFile.Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", tx) > 0)
            {
                throw new InvalidDataException(
                    $"{_options.DatabasePath} is not an embedded index of schema version {SchemaVersion} (found {version}): delete the file or use a new data directory");
            }
            else
            {
                SqliteFile.Execute(connection, $"""
                    CREATE TABLE rides(
                    {RideColumns.Definitions});
                    {RideIndexes}
                    {RideKeysTable}
                    {RideKeysThroughTable}
                    INSERT INTO ride_keys_through(ride_row) VALUES (0);
                    CREATE TABLE minute_stats(
                        minute INTEGER NOT NULL,
                        comfort INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        sum_distance REAL NOT NULL,
                        sum_price REAL NOT NULL,
                        PRIMARY KEY(minute, comfort)) WITHOUT ROWID;
                    """, tx);
            }

            SqliteFile.Execute(connection, $"PRAGMA user_version = {SchemaVersion};", tx);
            return 0;
        }, CancellationToken.None);
    }

    private static readonly string RideIndexes = $"""
        CREATE INDEX rides_ts ON rides({RideSchema.Names.Ts});
        CREATE INDEX rides_comfort_ts ON rides({RideSchema.Names.Comfort}, {RideSchema.Names.Ts});
        CREATE INDEX rides_agent_timestamp ON rides({RideSchema.Names.AgentTimestamp});
        """;

    private static readonly string RideKeysTable = """
        CREATE TABLE ride_keys(
            generation INTEGER NOT NULL,
            ride_id BLOB NOT NULL,
            ride_row INTEGER NOT NULL,
            PRIMARY KEY(generation, ride_id)) WITHOUT ROWID;
        """;

    private const string RideKeysThroughTable = "CREATE TABLE ride_keys_through(ride_row INTEGER NOT NULL);";

    /// <summary>
    /// Version 2 kept ride_id as the primary key of rides: the rows are copied, rowids kept, into a table without it,
    /// and ride_keys is filled in key order (one pass: 3.6 s for 1M rides, 20 s for 5M; the index is derived data that the
    /// log's retention may no longer be able to rebuild, so it is migrated rather than dropped).
    /// </summary>
    private void MigrateFromPrimaryKeyOnRideId(SqliteConnection connection, SqliteTransaction tx) =>
        SqliteFile.Execute(connection, $"""
            CREATE TABLE rides_v3(
            {RideColumns.Definitions});
            INSERT INTO rides_v3(rowid, {RideColumns.List}) SELECT rowid, {RideColumns.List} FROM rides ORDER BY rowid;
            DROP TABLE rides;
            ALTER TABLE rides_v3 RENAME TO rides;
            {RideIndexes}
            {RideKeysTable}
            INSERT INTO ride_keys(generation, ride_id, ride_row)
                SELECT rowid >> {_options.GenerationBits}, {RideSchema.Names.RideId}, rowid FROM rides ORDER BY 1, 2;
            """, tx);
}
