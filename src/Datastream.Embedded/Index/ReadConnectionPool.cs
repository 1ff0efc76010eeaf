using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Index;

/// <summary>
/// Reader connections, separate from the writer's: in WAL a reader sees the last committed snapshot and neither
/// waits for nor blocks an open write transaction (and never sees its uncommitted rows, as the writer's own
/// connection would). Connections are opened on demand, one per concurrent query, and kept until disposal.
/// </summary>
internal sealed class ReadConnectionPool(IndexDatabase database) : IDisposable
{
    private readonly Stack<SqliteConnection> _idle = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    public T Read<T>(Func<SqliteConnection, T> query)
    {
        var connection = Rent();
        try
        {
            return query(connection);
        }
        finally
        {
            Return(connection);
        }
    }

    private SqliteConnection Rent()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var connection))
            {
                return connection;
            }
        }

        return database.OpenReader();
    }

    private void Return(SqliteConnection connection)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _idle.Push(connection);
                return;
            }
        }

        connection.Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_idle.TryPop(out var connection))
            {
                connection.Dispose();
            }
        }
    }
}
