using Microsoft.Data.Sqlite;

namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// The embedded index down: another connection holds an exclusive transaction on its SQLite file, so every index write
/// of a pipeline waits out its busy timeout (10 s) and fails with SQLITE_BUSY until the outage ends. Readers still
/// read (WAL). A real failure mode: a long transaction of some other process on the file.
/// </summary>
public sealed class IndexOutage(string databasePath) : IDisposable
{
    private SqliteConnection? _holder;

    public bool IsDown => _holder is not null;

    /// <summary>Takes the write lock, waiting for a pipeline's transaction in progress to end.</summary>
    public async Task BeginAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 120,
        }.ToString());
        await connection.OpenAsync();
        using var begin = connection.CreateCommand();
        begin.CommandText = "PRAGMA busy_timeout = 120000; BEGIN EXCLUSIVE;";
        await begin.ExecuteNonQueryAsync();
        _holder = connection;
    }

    public void End()
    {
        if (_holder is null)
        {
            return;
        }

        using (var rollback = _holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        _holder.Dispose();
        _holder = null;
    }

    public void Dispose() => End();
}
