using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Datastream.Embedded;

/// <summary>
/// Copies a WAL-mode file's committed pages back into the database from a thread and connection of its own
/// (<c>PRAGMA wal_checkpoint(PASSIVE)</c> every <c>interval</c>), so the writer's commits rarely find a checkpoint to do.
/// Left to SQLite's auto-checkpoint, a checkpoint runs inside the commit that crosses the threshold: tens of megabytes
/// copied and an fsync, on the writer's thread, while every ride behind it waits (the tail of "ride ts → indexed").
/// A passive checkpoint takes no write lock, so writes go on meanwhile. The writer keeps its auto-checkpoint as the
/// backstop that restarts the WAL (a passive checkpoint racing a busy writer rarely catches up with the last frame),
/// and it then finds nearly every page already copied.
/// </summary>
internal sealed partial class WalCheckpointer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private bool _failing;
    private long _checkpoints;

    public WalCheckpointer(SqliteConnection connection, TimeSpan interval, ILogger logger, string name)
    {
        _connection = connection;
        _interval = interval;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Checkpoints that ran to the end without an error (busy ones included: they copy what they can).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    private void Run()
    {
        while (!_stop.Token.WaitHandle.WaitOne(_interval))
        {
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                command.ExecuteNonQuery();
                Interlocked.Increment(ref _checkpoints);
                if (_failing)
                {
                    _failing = false;
                    LogRecovered(_logger, _connection.DataSource);
                }
            }
            catch (SqliteException error)
            {
                // Not fatal: the writer's own auto-checkpoint still bounds the WAL. Said once per spell of failures.
                if (!_failing)
                {
                    _failing = true;
                    LogFailing(_logger, _connection.DataSource, error.Message);
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _connection.Dispose();
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning,
        Message = "background checkpoint of {File} fails ({Reason}); the writer checkpoints in its commits meanwhile")]
    private static partial void LogFailing(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "background checkpoint of {File} works again")]
    private static partial void LogRecovered(ILogger logger, string file);
}
