using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Tests;

/// <summary>
/// Another connection holding a SQLite database's write lock (BEGIN EXCLUSIVE) until released, as a stuck process
/// would: every writer of the file gets SQLITE_BUSY once its busy_timeout runs out; readers (WAL) go on.
/// </summary>
internal sealed class ExclusiveLock(string databasePath)
{
    private SqliteConnection? _holder;

    public Task BeginAsync()
    {
        _holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        _holder.Open();
        using var command = _holder.CreateCommand();
        // Waits out a transaction in progress, then holds the lock.
        command.CommandText = "PRAGMA busy_timeout = 10000; BEGIN EXCLUSIVE;";
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task EndAsync()
    {
        using (var command = _holder!.CreateCommand())
        {
            command.CommandText = "ROLLBACK;";
            command.ExecuteNonQuery();
        }

        _holder.Dispose();
        _holder = null;
        return Task.CompletedTask;
    }
}
