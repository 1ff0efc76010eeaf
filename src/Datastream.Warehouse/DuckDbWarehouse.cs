using System.Globalization;
using Datastream.Core.Clustering;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Warehouse;

/// <summary>
/// The warehouse port over the local Parquet lake (SPEC §4): an in-memory DuckDB database reading
/// <c>&lt;root&gt;/&lt;prefix&gt;**/*.parquet</c> with hive partitioning. Each query lists the lake's files again and
/// re-creates the <c>rides</c> view over them and the <c>assignments</c> view for its model, so files the lake renamed
/// into place since the last query are included and files still being written (hidden temporaries) never are.
/// Queries are serialized: one connection, one model at a time. They run on the thread pool because DuckDB.NET is
/// synchronous.
/// <para>
/// With a revenue cache (<see cref="RevenueCache"/>), the revenue reads only the lake files published since the last
/// query, from this process or another one sharing the cache; without one, or when its file can be neither opened nor
/// created, every query reads the whole lake.
/// </para>
/// </summary>
public sealed partial class DuckDbWarehouse : IRideWarehouse
{
    /// <summary>Where the host keeps the revenue cache under the data directory: beside the model its figures depend on.</summary>
    public const string RevenueCacheFile = "analytics/revenue-cache.duckdb";

    private readonly DuckDBConnection _connection;
    private readonly string _lakeGlob;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RevenueCache? _revenueCache;
    private readonly ILogger _logger;

    /// <summary>DuckDB's memory limit now: the limits' (<see cref="LimitAsync"/>), or more once a query needed more (see <see cref="WithMemoryToSpare"/>).</summary>
    private int? _memoryLimitMb;

    /// <param name="lakeRoot">The local lake's root directory (the LocalDirectoryLakeStore root).</param>
    /// <param name="prefix">The lake's key prefix, empty or ending with '/', default "rides/processed/".</param>
    /// <param name="limits">Threads and memory DuckDB may use; <see cref="DuckDbLimits.Unbounded"/> when null.</param>
    /// <param name="revenueCachePath">The revenue cache's database file (see <see cref="RevenueCacheFile"/>); null to read the whole lake for every revenue.</param>
    /// <param name="logger">Where a rebuilt or unavailable revenue cache is reported.</param>
    public DuckDbWarehouse(string lakeRoot, string prefix = "rides/processed/", DuckDbLimits? limits = null, string? revenueCachePath = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(lakeRoot);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            throw new ArgumentException($"Lake prefix '{prefix}' must be empty or end with '/'.", nameof(prefix));
        }

        // DuckDB globs with '/' on every OS.
        _lakeGlob = Path.GetFullPath(lakeRoot).Replace(Path.DirectorySeparatorChar, '/').TrimEnd('/') + "/" + prefix + "**/*.parquet";
        _connection = new DuckDBConnection("DataSource=:memory:");
        _connection.Open();
        // Rows may come out in any order: every query orders what it returns, and the scan need not keep file order.
        Execute("SET preserve_insertion_order = false");
        // Parquet footers are kept between queries: the revenue refresh reads the same files every 10 s.
        Execute("SET enable_object_cache = true");
        // DuckDB would spill into ./.tmp, the caller's working directory.
        Execute($"SET temp_directory = '{Path.Combine(Path.GetTempPath(), $"datastream-duckdb-{Environment.ProcessId}-{Guid.NewGuid():N}").Replace("'", "''", StringComparison.Ordinal)}'");
        _logger = logger ?? NullLogger.Instance;
        _revenueCache = revenueCachePath is null ? null : new RevenueCache(_connection, revenueCachePath, _logger);
        // After the cache: the limits decide its slice size too.
        ApplyLimits(limits ?? DuckDbLimits.Unbounded);
    }

    public string Engine => "duckdb";

    /// <inheritdoc cref="RevenueCache.RowsPerSlice"/>
    internal long? RevenueCacheRowsPerSlice
    {
        get => _revenueCache?.RowsPerSlice;
        set => _revenueCache?.RowsPerSlice = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc cref="RevenueCache.BytesPerStep"/>
    internal long? RevenueCacheBytesPerStep
    {
        get => _revenueCache?.BytesPerStep;
        set => _revenueCache?.BytesPerStep = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The glob the <c>rides</c> view reads.</summary>
    public string LakeGlob => _lakeGlob;

    public async ValueTask<IReadOnlyList<RevenueRow>> RevenueAsync(KMeansModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_revenueCache is { } cache)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var held = await CacheFileLock.AcquireAsync(cache.LockPath, cancellationToken).ConfigureAwait(false);
                return await Task.Run(() => WithMemoryToSpare(() => CachedRevenue(cache, model)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is RevenueCacheUnavailableException or IOException or UnauthorizedAccessException)
            {
                // The figures are the same without the cache, only slower: say so, and answer.
                RevenueCacheUnavailable(_logger, error.Message);
            }
            finally
            {
                _gate.Release();
            }
        }

        return await UncachedRevenueAsync(model, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The revenue by the full query over every lake file (rides_view.sql), whether or not there is a cache.</summary>
    public ValueTask<IReadOnlyList<RevenueRow>> UncachedRevenueAsync(KMeansModel model, CancellationToken cancellationToken = default) =>
        QueryAsync(model, WarehouseSql.Revenue, reader => new RevenueRow(reader.GetInt32(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt64(3)), cancellationToken);

    /// <summary>Every ride's cluster as the SQL assigns it (not on the port: tests compare it with <see cref="KMeansModel.Assign"/>).</summary>
    public ValueTask<IReadOnlyList<(Guid RideId, int ClusterId)>> AssignAsync(KMeansModel model, CancellationToken cancellationToken = default) =>
        QueryAsync(model, WarehouseSql.Assignment, reader => (reader.GetGuid(0), reader.GetInt32(1)), cancellationToken);

    /// <summary>Revenue and ride count per comfort level over the whole lake, without clustering.</summary>
    public ValueTask<IReadOnlyList<(string Comfort, decimal Revenue, long Count)>> RevenueByComfortAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(model: null, WarehouseSql.RevenueByComfort, reader => (reader.GetString(0), reader.GetDecimal(1), reader.GetInt64(2)), cancellationToken);

    /// <summary>Threads and memory of the queries from now on (the query running, if any, finishes first).</summary>
    public async ValueTask LimitAsync(DuckDbLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ApplyLimits(limits);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Wait for a running query: closing the connection under it would fail that query.
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<IReadOnlyList<T>> QueryAsync<T>(KMeansModel? model, string sql, Func<DuckDBDataReader, T> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => WithMemoryToSpare(() => Query(model, sql, read)), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<T> Query<T>(KMeansModel? model, string sql, Func<DuckDBDataReader, T> read)
    {
        var files = LakeFiles();
        if (files.Count == 0)
        {
            return [];
        }

        Execute(WarehouseSql.WithLakeFiles(WarehouseSql.RidesView, files));
        if (model is not null)
        {
            Execute(NearestCentroidSql.AssignmentsView(model));
        }

        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>
    /// Runs <paramref name="query"/>; when it fails for want of DuckDB memory under a memory limit, doubles the limit,
    /// says so, and runs it again, up to <see cref="MaxRaisedMemoryMb"/>. A limit is there to keep a background query from
    /// crowding the pipelines, not to stop it: the few operators DuckDB cannot spill (a window over the repeated rows after a
    /// replay of 50,000 rides needed more than 24 MB) would otherwise fail every refresh from then on. The raised limit stays
    /// until the next <see cref="LimitAsync"/>: the lake that needed it is still there at the next query. A revenue query
    /// runs again from the start; the revenue cache's steps already committed are not taken in again.
    /// </summary>
    private T WithMemoryToSpare<T>(Func<T> query)
    {
        while (true)
        {
            try
            {
                return query();
            }
            catch (DuckDBException error) when (IsOutOfMemory(error) && _memoryLimitMb is { } limit && limit < MaxRaisedMemoryMb)
            {
                int raised = Math.Min(MaxRaisedMemoryMb, limit * 2);
                SetOrReset("memory_limit", Megabytes(raised));
                _memoryLimitMb = raised;
                MemoryLimitRaised(_logger, limit, raised, error.Message);
            }
        }
    }

    /// <summary>The most <see cref="WithMemoryToSpare"/> raises DuckDB's memory limit to; a query that needs more fails.</summary>
    internal const int MaxRaisedMemoryMb = 1024;

    /// <summary>Whether DuckDB failed for want of memory under its limit: nothing is wrong with the query or its files.</summary>
    internal static bool IsOutOfMemory(DuckDBException error) => error.ErrorType == DuckDBErrorType.OutOfMemory;

    private List<RevenueRow> CachedRevenue(RevenueCache cache, KMeansModel model)
    {
        var files = LakeFiles();
        return files.Count == 0 ? [] : cache.Revenue(files, model);
    }

    private List<string> LakeFiles()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = WarehouseSql.WithLakeGlob(WarehouseSql.LakeFiles, _lakeGlob);
        using var reader = command.ExecuteReader();
        var files = new List<string>();
        while (reader.Read())
        {
            files.Add(reader.GetString(0));
        }

        return files;
    }

    private void ApplyLimits(DuckDbLimits limits)
    {
        _revenueCache?.RowsPerSlice = RowsPerSliceWithin(limits);
        _revenueCache?.BytesPerStep = BytesPerStepWithin(limits);
        SetOrReset("threads", limits.Threads is { } threads ? Math.Max(1, threads).ToString(CultureInfo.InvariantCulture) : null);
        SetOrReset("memory_limit", Megabytes(limits.MemoryLimitMb));
        _memoryLimitMb = limits.MemoryLimitMb;
        SetOrReset("allocator_flush_threshold", Megabytes(limits.AllocatorFlushMb));
        SetOrReset("allocator_background_threads", limits.AllocatorFlushMb is null ? null : "true");
    }

    /// <summary>A size as a DuckDB setting's SQL literal; null for null.</summary>
    private static string? Megabytes(int? megabytes) =>
        megabytes is { } mb ? string.Create(CultureInfo.InvariantCulture, $"'{Math.Max(1, mb)}MB'") : null;

    /// <summary>
    /// How many new row hashes the revenue cache looks at per query under <paramref name="limits"/>: ~2,000 per MB of
    /// DuckDB memory (12 MB: 24,000; a 4M-ride run's refreshes peaked ~10 MB lower with slices of 50,000 than of 200,000,
    /// and none failed), or all at once when memory is not limited (`analytics revenue` on its own: every slice would
    /// scan the cache's hashes once more).
    /// </summary>
    private static long RowsPerSliceWithin(DuckDbLimits limits) =>
        limits.MemoryLimitMb is { } mb ? Math.Max(1, mb) * 2_000L : long.MaxValue;

    /// <summary>
    /// How many bytes of new lake files the revenue cache takes in per transaction under <paramref name="limits"/>: half a
    /// MB per MB of DuckDB memory (12 MB: 6 MB of Parquet, ~70,000 rides, a few slices), or all at once when memory is
    /// not limited.
    /// </summary>
    private static long BytesPerStepWithin(DuckDbLimits limits) =>
        limits.MemoryLimitMb is { } mb ? Math.Max(1, mb) * 512L * 1024 : long.MaxValue;

    /// <summary>Sets a DuckDB setting to <paramref name="value"/> (SQL literal), or back to DuckDB's default when null.</summary>
    private void SetOrReset(string name, string? value) => Execute(value is null ? $"RESET {name}" : $"SET {name} = {value}");

    /// <summary>A DuckDB setting as DuckDB shows it (current_setting), for tests of <see cref="LimitAsync"/>.</summary>
    internal async ValueTask<string> SettingAsync(string name, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT CAST(current_setting($name) AS VARCHAR)";
            command.Parameters.Add(new DuckDBParameter("name", name));
            return (string)command.ExecuteScalar()!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "revenue cache unavailable, reading the whole lake: {Reason}")]
    private static partial void RevenueCacheUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "a DuckDB query needed more than its {LimitMb} MB ({Reason}): its memory limit is now {RaisedMb} MB, and the query runs again")]
    private static partial void MemoryLimitRaised(ILogger logger, int limitMb, int raisedMb, string reason);
}
