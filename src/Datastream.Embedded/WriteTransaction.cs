using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Runs work in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so a transaction never fails
/// half-way on a lock upgrade. SQLITE_BUSY that outlasts busy_timeout (another process holding the lock for long)
/// is retried a few times before it surfaces; the work must therefore be repeatable (reset its state on entry).
/// </summary>
internal static class WriteTransaction
{
    private const int MaxAttempts = 5;

    public static T Run<T>(SqliteConnection connection, Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = work(transaction);
                transaction.Commit();
                return result;
            }
            catch (SqliteException e) when (IsBusy(e) && attempt < MaxAttempts)
            {
                // Disposing the transaction rolled it back; wait a little and try again.
                Thread.Sleep(10 * attempt);
            }
        }
    }

    private static bool IsBusy(SqliteException e) => e.SqliteErrorCode is 5 /* BUSY */ or 6 /* LOCKED */;
}
