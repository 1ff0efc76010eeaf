using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// Appends records on its own connection; all records of one ProduceAsync call commit in one transaction as one
/// batch row per touched partition (so the caller's batch size is the transaction and batch size). Also enforces
/// retention every RetentionInterval.
/// Thread-safe: concurrent calls are serialized.
/// </summary>
public sealed class SqliteLogProducer : ILogProducer
{
    private readonly object _gate = new();
    private readonly EmbeddedLogOptions _options;
    private readonly SqliteConnection _connection;
    private readonly TopicCatalog _catalog;
    private readonly RecordAppender _appender;
    private readonly RetentionEnforcer _retention;
    private long _lastRetentionMs;
    private bool _disposed;

    internal SqliteLogProducer(LogDatabase database)
    {
        _options = database.Options;
        _connection = database.Open();
        _catalog = new TopicCatalog(_connection);
        _appender = new RecordAppender(_connection, _catalog, _options.MaxRecordBytes, _options.Compression);
        _retention = new RetentionEnforcer(_connection, _catalog);
        _lastRetentionMs = _options.NowMs();
    }

    public ValueTask ProduceAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (records.Count > 0)
            {
                var now = _options.NowMs();
                WriteTransaction.Run(_connection, tx =>
                {
                    _appender.Reset();
                    try
                    {
                        for (var i = 0; i < records.Count; i++)
                        {
                            var record = records[i];
                            _appender.Append(tx, record.Topic, record.Key.Span, record.Value.Span, now);
                        }

                        _appender.Flush(tx);
                    }
                    catch
                    {
                        _appender.Reset();
                        throw;
                    }

                    return 0;
                }, cancellationToken);
            }

            if (_options.NowMs() - _lastRetentionMs >= (long)_options.RetentionInterval.TotalMilliseconds)
            {
                EnforceRetentionLocked(cancellationToken);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes records beyond each topic's retention now; returns how many were deleted.</summary>
    public ValueTask<long> EnforceRetentionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ValueTask.FromResult(EnforceRetentionLocked(cancellationToken));
        }
    }

    private long EnforceRetentionLocked(CancellationToken cancellationToken)
    {
        _lastRetentionMs = _options.NowMs();
        return _retention.Enforce(_lastRetentionMs, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            _appender.Dispose();
            _connection.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
