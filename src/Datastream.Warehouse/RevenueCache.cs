using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Datastream.Core.Clustering;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace Datastream.Warehouse;

/// <summary>
/// Revenue per (cluster, comfort) from figures kept per lake file, so a query reads only the files published since the
/// last one (SPEC §4's revenue, identical to revenue.sql over rides_view.sql). The cache is a DuckDB database file
/// (<see cref="DatabasePath"/>, normally &lt;data-dir&gt;/analytics/revenue-cache.duckdb beside the model it depends
/// on) attached to the warehouse's connection for the length of one query, under <see cref="CacheFileLock"/>.
/// <para>
/// How each ride counts once. For every file the cache keeps, per model, the count and exact DECIMAL sum of every row
/// of the file per (cluster, comfort), and the hash of every row's ride_id. A ride the lake holds more than once is
/// counted in those figures once per row; the revenue is their sum less the rows that are not their ride's latest.
/// Those rows all have a hash that occurs more than once, so the cache also keeps, for every row whose hash occurs more
/// than once across the files it holds (repeated_row), the ride_id, agent_timestamp, row number and priced fields:
/// the superseded rows are those of each ride_id but its latest (agent_timestamp, then file path, then row, as
/// rides_view.sql orders them), and their cluster comes from the same assignments SQL. Equal hashes of different
/// ride_ids stay apart (grouped by the id). When a file is added, only its hashes are probed against the others; when
/// one is removed or replaced (compaction, retention, a replay rewriting a key), its rows leave every table and the
/// hashes left with a single row leave repeated_row. Repeats are rare (replays, backfills), so repeated_row is small.
/// </para>
/// <para>
/// A query's changes are one transaction, but for new files taken in a step at a time (<see cref="Steps"/>): a process
/// killed mid-query leaves the cache as the last query or step left it. A file that is not a DuckDB database, is
/// damaged, or holds another layout (another build or DuckDB version: hash() may change between versions) is deleted
/// and rebuilt, with a warning; it is never trusted.
/// </para>
/// </summary>
internal sealed partial class RevenueCache
{
    /// <summary>The catalog name the cache is attached as, which the cache's SQL names.</summary>
    private const string Alias = "revenue_cache";

    /// <summary>Models whose figures are kept: the web app may run with the model it loaded while the CLI has retrained one.</summary>
    private const int ModelsKept = 4;

    private const string LayoutVersion = "datastream revenue cache 1";

    private readonly DuckDBConnection _connection;
    private readonly ILogger _logger;
    private string? _format;

    public RevenueCache(DuckDBConnection connection, string databasePath, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        DatabasePath = Path.GetFullPath(databasePath);
        _logger = logger;
    }

    public string DatabasePath { get; }

    /// <summary>
    /// New row hashes looked at per slice when files are added (see <see cref="Add"/>): all in one go unless DuckDB's
    /// memory is limited (the warehouse sets it from its limits; tests set it small, to have many slices).
    /// </summary>
    internal long RowsPerSlice { get; set; } = long.MaxValue;

    /// <summary>
    /// Parquet bytes of new files taken in per transaction (see <see cref="Steps"/>): all in one unless DuckDB's memory is
    /// limited (the warehouse sets it from its limits; tests set it small, to have many steps).
    /// </summary>
    internal long BytesPerStep { get; set; } = long.MaxValue;

    /// <summary>The file locked while a query uses the cache.</summary>
    public string LockPath => DatabasePath + ".lock";

    /// <summary>
    /// The revenue over <paramref name="lakeFiles"/> (the lake's files in path order, as lake_files.sql lists them),
    /// updating the cache first. The caller holds <see cref="LockPath"/>'s lock and the connection.
    /// </summary>
    /// <exception cref="RevenueCacheUnavailableException">The cache file can be neither opened nor created.</exception>
    public List<RevenueRow> Revenue(IReadOnlyList<string> lakeFiles, KMeansModel model)
    {
        // Each file's identity is taken before it is read: a file replaced in between is read new under its old
        // identity, which the next query sees has changed, and reads again.
        var files = lakeFiles.Select(LakeFileIdentity.Of).OfType<LakeFileIdentity>().ToList();
        // The model is its assignments SQL: every number of it that decides a cluster, in the form the SQL uses.
        var modelSql = NearestCentroidSql.AssignmentsView(model);
        var modelFingerprint = Fingerprint(modelSql);
        Attach();
        try
        {
            try
            {
                return Update(files, modelFingerprint, modelSql);
            }
            // Running out of DuckDB's memory says nothing about the file (the warehouse raises the limit and asks again).
            catch (DuckDBException error) when (!DuckDbWarehouse.IsOutOfMemory(error) && Unreadable() is { } damage)
            {
                CacheRebuilt(_logger, DatabasePath, $"{damage} (while {error.Message})");
                Detach();
                DeleteFiles();
                Attach();
                return Update(files, modelFingerprint, modelSql);
            }
        }
        finally
        {
            Detach();
        }
    }

    private List<RevenueRow> Update(List<LakeFileIdentity> files, string model, string modelSql)
    {
        Execute("BEGIN TRANSACTION");
        try
        {
            var cached = new Dictionary<string, (long Id, LakeFileIdentity Identity)>(StringComparer.Ordinal);
            Read($"SELECT file_id, path, size, modified_ticks FROM {Alias}.lake_file", reader =>
            {
                var identity = new LakeFileIdentity(reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3));
                cached[identity.Path] = (reader.GetInt64(0), identity);
            });
            var listed = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            var gone = cached.Values.Where(c => !listed.TryGetValue(c.Identity.Path, out var now) || now != c.Identity).Select(c => c.Id).ToList();
            var added = files.Where(f => !cached.TryGetValue(f.Path, out var c) || c.Identity != f).ToList();
            if (gone.Count > 0)
            {
                Execute(WarehouseSql.WithFileIdSet(WarehouseSql.RevenueCacheForget, gone));
            }

            int keptFiles = cached.Count - gone.Count;
            var steps = Steps(added);
            for (var i = 0; i < steps.Count; i++)
            {
                if (i > 0)
                {
                    // A step's rows stay in DuckDB's memory until their transaction commits (see BytesPerStep).
                    Execute("COMMIT");
                    Execute("BEGIN TRANSACTION");
                }

                Add(steps[i], keptFiles);
                keptFiles += steps[i].Count;
            }

            var paths = new Dictionary<long, string>();
            Read($"SELECT file_id, path FROM {Alias}.lake_file", reader => paths[reader.GetInt64(0)] = reader.GetString(1));
            var unmodelled = new List<long>();
            Read(WarehouseSql.WithModel($"SELECT file_id FROM {Alias}.lake_file AS f ANTI JOIN {Alias}.modelled_file AS m ON m.file_id = f.file_id AND m.model = {{model}} ORDER BY f.path", model),
                reader => unmodelled.Add(reader.GetInt64(0)));
            if (unmodelled.Count > 0)
            {
                Execute(WarehouseSql.WithLakeFiles(WarehouseSql.LakeRowsView, [.. unmodelled.Select(id => paths[id])], unmodelled));
                Execute(modelSql);
                Execute(WarehouseSql.WithModel(WarehouseSql.RevenueCacheFileRevenue, model));
                Execute(WarehouseSql.WithModel($"INSERT INTO {Alias}.modelled_file SELECT unnest({List(unmodelled)}), {{model}}", model));
            }

            RecordUse(model);
            Execute(WarehouseSql.RevenueCacheSupersededView);
            Execute(modelSql);
            var rows = new List<RevenueRow>();
            Read(WarehouseSql.WithModel(WarehouseSql.RevenueCacheRevenue, model),
                reader => rows.Add(new RevenueRow(reader.GetInt32(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt64(3))));
            Execute("COMMIT");
            return rows;
        }
        catch
        {
            Execute("ROLLBACK");
            throw;
        }
    }

    /// <summary>
    /// The new files in consecutive groups of at most <see cref="BytesPerStep"/> bytes (a larger file alone), each taken
    /// in and committed on its own. The rows a transaction adds stay in DuckDB's memory until it commits, so in one
    /// transaction a refresh's memory would grow with the backlog it takes in (a refresh beside the pipelines of a 4M-ride
    /// run takes in ~1.5M rows at once). A query stopped between steps leaves the cache of a lake with fewer files (every
    /// table agrees with the files it lists), and the next query takes in the rest.
    /// </summary>
    private List<List<LakeFileIdentity>> Steps(List<LakeFileIdentity> added)
    {
        var steps = new List<List<LakeFileIdentity>>();
        long bytes = 0;
        foreach (var file in added)
        {
            if (steps.Count == 0 || bytes + file.Size > BytesPerStep)
            {
                steps.Add([]);
                bytes = 0;
            }

            steps[^1].Add(file);
            bytes += file.Size;
        }

        return steps;
    }

    /// <summary>Takes in new files: their identities, their rows' hashes, and the rows that are now repeated.</summary>
    private void Add(List<LakeFileIdentity> added, int keptFiles)
    {
        long firstId = 1;
        Read($"SELECT coalesce(max(file_id), 0) + 1 FROM {Alias}.lake_file", reader => firstId = reader.GetInt64(0));
        var ids = Enumerable.Range(0, added.Count).Select(i => firstId + i).ToList();
        var values = string.Join(", ", added.Select((f, i) => string.Create(CultureInfo.InvariantCulture,
            $"({ids[i]}, '{f.Path.Replace("'", "''", StringComparison.Ordinal)}', {f.Size}, {f.ModifiedTicks})")));
        Execute($"INSERT INTO {Alias}.lake_file VALUES {values}");
        long newRows = Execute(WarehouseSql.WithLakeFiles(WarehouseSql.RevenueCacheAddHashes, [.. added.Select(f => f.Path)], ids));

        // Only the new rows' hashes can have become repeated; when every file is new, that is every hash, and a
        // plain group-by is cheaper than probing the table with itself. The hashes are looked at a slice of the hash
        // space at a time, so that the query's hash tables hold at most ~RowsPerSlice of them: in one go, the ~1M new
        // rows of a refresh at full rate needed more than 32 MB of DuckDB memory ("failed to pin block"), and a first
        // query over a large lake would need more still. Each slice scans row_hash once more. (Written so that
        // RowsPerSlice = long.MaxValue cannot overflow: 0 or 1 to RowsPerSlice rows make one slice.)
        long slices = (Math.Max(1, newRows) - 1) / RowsPerSlice + 1;
        for (long slice = 0; slice < slices; slice++)
        {
            var inSlice = string.Create(CultureInfo.InvariantCulture, $"id_hash % {slices} = {slice}");
            var candidates = keptFiles == 0
                ? inSlice
                : string.Create(CultureInfo.InvariantCulture, $"{inSlice} AND id_hash IN (SELECT id_hash FROM {Alias}.row_hash WHERE file_id >= {firstId} AND {inSlice})");
            Execute((slice == 0 ? "CREATE OR REPLACE TEMP TABLE missing_repeats AS " : "INSERT INTO missing_repeats ")
                + WarehouseSql.RevenueCacheMissingRepeats.Replace(WarehouseSql.CandidatesPlaceholder, candidates, StringComparison.Ordinal));
        }

        var toRead = new List<(long Id, string Path)>();
        Read($"SELECT DISTINCT m.file_id, f.path FROM missing_repeats AS m JOIN {Alias}.lake_file AS f ON f.file_id = m.file_id ORDER BY f.path",
            reader => toRead.Add((reader.GetInt64(0), reader.GetString(1))));
        if (toRead.Count > 0)
        {
            Execute(WarehouseSql.WithLakeFiles(WarehouseSql.RevenueCacheAddRepeats, [.. toRead.Select(f => f.Path)], [.. toRead.Select(f => f.Id)]));
        }

        Execute("DROP TABLE missing_repeats");
    }

    /// <summary>Marks <paramref name="model"/> used now and drops the figures of models beyond the <see cref="ModelsKept"/> last used.</summary>
    private void RecordUse(string model)
    {
        Execute(WarehouseSql.WithModel($"DELETE FROM {Alias}.model_use WHERE model = {{model}}", model));
        Execute(WarehouseSql.WithModel(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO {Alias}.model_use VALUES ({{model}}, coalesce((SELECT max(last_used) FROM {Alias}.model_use), 0) + 1)"), model));
        var stale = string.Create(CultureInfo.InvariantCulture, $"SELECT model FROM {Alias}.model_use ORDER BY last_used DESC OFFSET {ModelsKept}");
        foreach (var table in new[] { "file_revenue", "modelled_file", "model_use" })
        {
            Execute($"DELETE FROM {Alias}.{table} WHERE model IN ({stale})");
        }
    }

    /// <summary>
    /// Attaches the cache, creating it when missing. A file DuckDB cannot open (not a database, damaged) or that holds
    /// another layout is deleted and created anew, with a warning; one that cannot be created either makes the cache
    /// unavailable.
    /// </summary>
    private void Attach()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            try
            {
                Execute($"ATTACH '{DatabasePath.Replace("'", "''", StringComparison.Ordinal)}' AS {Alias}");
            }
            catch (DuckDBException error) when (!error.Message.Contains("Could not set lock", StringComparison.Ordinal) && !DuckDbWarehouse.IsOutOfMemory(error))
            {
                CacheRebuilt(_logger, DatabasePath, error.Message);
                DeleteFiles();
                Execute($"ATTACH '{DatabasePath.Replace("'", "''", StringComparison.Ordinal)}' AS {Alias}");
            }

            long tables = 0;
            Read($"SELECT count(*) FROM duckdb_tables() WHERE database_name = '{Alias}'", reader => tables = reader.GetInt64(0));
            if (tables > 0 && StoredFormat() is var stored && stored != Format())
            {
                CacheRebuilt(_logger, DatabasePath, stored is null ? "it is not a revenue cache" : $"it has layout '{stored}', this build uses '{Format()}'");
                Detach();
                DeleteFiles();
                Execute($"ATTACH '{DatabasePath.Replace("'", "''", StringComparison.Ordinal)}' AS {Alias}");
                tables = 0;
            }

            if (tables == 0)
            {
                Execute(WarehouseSql.RevenueCacheSchema);
                Execute($"INSERT INTO {Alias}.cache_format VALUES ('{Format().Replace("'", "''", StringComparison.Ordinal)}')");
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException || (error is DuckDBException duck && !DuckDbWarehouse.IsOutOfMemory(duck)))
        {
            Detach();
            throw new RevenueCacheUnavailableException($"the revenue cache {DatabasePath} can be neither opened nor created: {error.Message}", error);
        }
    }

    private string? StoredFormat()
    {
        try
        {
            var formats = new List<string>();
            Read($"SELECT format FROM {Alias}.cache_format", reader => formats.Add(reader.GetString(0)));
            return formats.Count == 1 ? formats[0] : null;
        }
        catch (DuckDBException error) when (!DuckDbWarehouse.IsOutOfMemory(error))
        {
            return null;
        }
    }

    /// <summary>Null when every block of every table of the cache reads back (DuckDB checks each block's checksum), else why not.</summary>
    private string? Unreadable()
    {
        try
        {
            var tables = new List<string>();
            Read($"SELECT table_name FROM duckdb_tables() WHERE database_name = '{Alias}'", reader => tables.Add(reader.GetString(0)));
            foreach (var table in tables)
            {
                Read($"SELECT bit_xor(hash(COLUMNS(*))) FROM {Alias}.{table}", _ => { });
            }

            return null;
        }
        catch (DuckDBException error) when (!DuckDbWarehouse.IsOutOfMemory(error))
        {
            return error.Message;
        }
    }

    private void Detach()
    {
        try
        {
            Execute($"DETACH DATABASE IF EXISTS {Alias}");
        }
        catch (DuckDBException)
        {
            // A cache that cannot even be checkpointed on its way out is rebuilt by the next query that opens it.
        }
    }

    private void DeleteFiles()
    {
        File.Delete(DatabasePath);
        File.Delete(DatabasePath + ".wal");
    }

    /// <summary>The layout, DuckDB version and SQL the cache's contents were computed with.</summary>
    private string Format()
    {
        if (_format is null)
        {
            string version = "";
            Read("SELECT version()", reader => version = reader.GetString(0));
            _format = $"{LayoutVersion}; duckdb {version}; sql {Fingerprint(string.Concat(WarehouseSql.RevenueCacheDependencies))}";
        }

        return _format;
    }

    private static string Fingerprint(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    private static string List(IEnumerable<long> ids) => "[" + string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Runs <paramref name="sql"/>; the rows it changed.</summary>
    private int Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private void Read(string sql, Action<DuckDBDataReader> row)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            row(reader);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "revenue cache {Path} rebuilt from the lake: {Reason}")]
    private static partial void CacheRebuilt(ILogger logger, string path, string reason);
}
