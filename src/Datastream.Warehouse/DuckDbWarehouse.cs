using System.Globalization;
using Datastream.Core.Clustering;
using DuckDB.NET.Data;

namespace Datastream.Warehouse;

/// <summary>
/// The warehouse port over the local Parquet lake (SPEC §4): an in-memory DuckDB database reading
/// <c>&lt;root&gt;/&lt;prefix&gt;**/*.parquet</c> with hive partitioning. Each query lists the lake's files again and
/// re-creates the <c>rides</c> view over them and the <c>assignments</c> view for its model, so files the lake renamed
/// into place since the last query are included and files still being written (hidden temporaries) never are.
/// Queries are serialized: one connection, one model at a time. They run on the thread pool because DuckDB.NET is
/// synchronous.
/// </summary>
public sealed class DuckDbWarehouse : IRideWarehouse
{
    private readonly DuckDBConnection _connection;
    private readonly string _lakeGlob;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="lakeRoot">The local lake's root directory (the LocalDirectoryLakeStore root).</param>
    /// <param name="prefix">The lake's key prefix, empty or ending with '/', default "rides/processed/".</param>
    /// <param name="limits">Threads and memory DuckDB may use; <see cref="DuckDbLimits.Unbounded"/> when null.</param>
    public DuckDbWarehouse(string lakeRoot, string prefix = "rides/processed/", DuckDbLimits? limits = null)
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
        ApplyLimits(limits ?? DuckDbLimits.Unbounded);
    }

    public string Engine => "duckdb";

    /// <summary>The glob the <c>rides</c> view reads.</summary>
    public string LakeGlob => _lakeGlob;

    public ValueTask<IReadOnlyList<RevenueRow>> RevenueAsync(KMeansModel model, CancellationToken cancellationToken = default) =>
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
            return await Task.Run(() => Query(model, sql, read), cancellationToken).ConfigureAwait(false);
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
        Execute(limits.Threads is { } threads
            ? string.Create(CultureInfo.InvariantCulture, $"SET threads = {Math.Max(1, threads)}")
            : "RESET threads");
        Execute(limits.MemoryLimitMb is { } megabytes
            ? string.Create(CultureInfo.InvariantCulture, $"SET memory_limit = '{Math.Max(1, megabytes)}MB'")
            : "RESET memory_limit");
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
