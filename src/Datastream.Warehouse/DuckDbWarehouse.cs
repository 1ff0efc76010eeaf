using Datastream.Core.Clustering;
using Datastream.Core.Rides;
using DuckDB.NET.Data;

namespace Datastream.Warehouse;

/// <summary>
/// The warehouse port over the local Parquet lake (SPEC §4): an in-memory DuckDB database reading
/// <c>&lt;root&gt;/&lt;prefix&gt;**/*.parquet</c> with hive partitioning. Each query reloads the model into the
/// <c>centroids</c> table and re-creates the <c>rides</c> view, so files the lake renamed into place since the last
/// query are included and files still being written (hidden temporaries) never are. Queries are serialized: one
/// connection, one model loaded at a time. They run on the thread pool because DuckDB.NET is synchronous.
/// </summary>
public sealed class DuckDbWarehouse : IRideWarehouse
{
    private readonly DuckDBConnection _connection;
    private readonly string _lakeGlob;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="lakeRoot">The local lake's root directory (the LocalDirectoryLakeStore root).</param>
    /// <param name="prefix">The lake's key prefix, empty or ending with '/', default "rides/processed/".</param>
    public DuckDbWarehouse(string lakeRoot, string prefix = "rides/processed/")
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
        Execute(WarehouseSql.Schema);
    }

    public string Engine => "duckdb";

    /// <summary>The glob the <c>rides</c> view reads.</summary>
    public string LakeGlob => _lakeGlob;

    public ValueTask<IReadOnlyList<RevenueRow>> RevenueAsync(KMeansModel model, CancellationToken cancellationToken = default) =>
        QueryAsync(model, WarehouseSql.Revenue, reader => new RevenueRow(reader.GetInt32(0), reader.GetString(1), reader.GetDouble(2), reader.GetInt64(3)), cancellationToken);

    /// <summary>Every ride's cluster as the SQL assigns it (not on the port: tests compare it with <see cref="KMeansModel.Assign"/>).</summary>
    public ValueTask<IReadOnlyList<(Guid RideId, int ClusterId)>> AssignAsync(KMeansModel model, CancellationToken cancellationToken = default) =>
        QueryAsync(model, WarehouseSql.Assignment, reader => (reader.GetGuid(0), reader.GetInt32(1)), cancellationToken);

    /// <summary>Revenue and ride count per comfort level over the whole lake, without clustering.</summary>
    public ValueTask<IReadOnlyList<(string Comfort, double Revenue, long Count)>> RevenueByComfortAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(model: null, WarehouseSql.RevenueByComfort, reader => (reader.GetString(0), reader.GetDouble(1), reader.GetInt64(2)), cancellationToken);

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
        if (!LakeHasFiles())
        {
            return [];
        }

        if (model is not null)
        {
            LoadModel(model);
        }

        Execute(WarehouseSql.WithLakeGlob(WarehouseSql.RidesView, _lakeGlob));
        Execute(WarehouseSql.AssignmentsView);

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

    private bool LakeHasFiles()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = WarehouseSql.WithLakeGlob(WarehouseSql.LakeFileCount, _lakeGlob);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private void LoadModel(KMeansModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Centroids.Count == 0)
        {
            throw new ArgumentException("The model has no centroids.", nameof(model));
        }

        var standardization = model.Standardization;
        using var transaction = _connection.BeginTransaction();
        Execute(WarehouseSql.ClearModel);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = WarehouseSql.InsertStandardization;
            command.Parameters.Add(new DuckDBParameter("mean_lon", standardization.MeanLon));
            command.Parameters.Add(new DuckDBParameter("std_lon", standardization.StdLon));
            command.Parameters.Add(new DuckDBParameter("mean_lat", standardization.MeanLat));
            command.Parameters.Add(new DuckDBParameter("std_lat", standardization.StdLat));
            command.ExecuteNonQuery();
        }

        foreach (var centroid in model.Centroids)
        {
            // The same Apply as KMeansModel.Assign, so SQL and C# measure from bit-identical centroid coordinates.
            var (x, y) = standardization.Apply(new GeoPoint(centroid.Lat, centroid.Lon));
            using var command = _connection.CreateCommand();
            command.CommandText = WarehouseSql.InsertCentroid;
            command.Parameters.Add(new DuckDBParameter("id", centroid.Id));
            command.Parameters.Add(new DuckDBParameter("lat", centroid.Lat));
            command.Parameters.Add(new DuckDBParameter("lon", centroid.Lon));
            command.Parameters.Add(new DuckDBParameter("x", x));
            command.Parameters.Add(new DuckDBParameter("y", y));
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
