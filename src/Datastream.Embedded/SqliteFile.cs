using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Opens connections to one SQLite file of the data directory (the log or the index) with the settings every
/// connection needs: busy_timeout so processes take turns on the write lock, and the chosen synchronous level.
/// No pooling: each producer, consumer or index keeps its connection for its lifetime, and Dispose really closes
/// the file (a data directory can be deleted right after).
/// </summary>
internal sealed class SqliteFile
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteFile(string path, TimeSpan busyTimeout, SqliteSynchronousMode synchronous)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString();
        _pragmas = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; " +
            $"PRAGMA synchronous = {(synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL")};";
    }

    /// <summary>An open connection with the file's settings and then <paramref name="extraPragmas"/>.</summary>
    public SqliteConnection Open(string extraPragmas = "")
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas + extraPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return (long)command.ExecuteScalar()!;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
