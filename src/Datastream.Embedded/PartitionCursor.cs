using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// A consumer's read position in one owned partition, with its prepared range read over batch rows. The last batch
/// fetched stays decoded in memory: a poll that stops in the middle of a batch (maxRecords reached) resumes from the
/// cached blob on the next poll instead of reading it from SQLite again. Batch rows never change once written; only
/// retention deletes them, so before resuming from the cache a rowid lookup (no blob read) checks the row still exists.
/// Blobs are copied out of SQLite and decompressed into buffers the cursor reuses; the only per-record copies are the
/// key and value arrays each LogRecord owns (callers keep them after later polls: pipelines across a batch, dead
/// letters until their commit), so nothing handed out points into a reused buffer.
/// </summary>
internal sealed class PartitionCursor : IDisposable
{
    private readonly SqliteCommand _read;
    private readonly SqliteParameter _from;
    private readonly SqliteCommand _exists;
    private readonly SqliteParameter _last;
    private readonly RecordBatchCodec _codec = new(LogCompression.None);
    private byte[] _stored = [];
    private byte[] _decompressed = [];

    // The cached batch's records: a prefix of _stored (uncompressed batch) or of _decompressed.
    private byte[] _data = [];
    private int _dataLength;
    private long _batchBase;
    private long _batchLast = -1;

    // Decode position inside the cached batch: the record at byte _nextPosition has offset _nextOffset.
    private int _nextPosition;
    private long _nextOffset;

    public PartitionCursor(SqliteConnection connection, TopicInfo topic, int partition, long position)
    {
        Topic = topic;
        Partition = partition;
        Position = position;
        _read = connection.CreateCommand();
        // Autocommit read outside any write transaction: it sees committed data only and never blocks writers.
        // last_offset is the rowid, so "the batch holding $from and the ones after it" is a rowid range scan; the
        // reader is lazy, so only the rows actually decoded are stepped through.
        _read.CommandText = $"SELECT base_offset, last_offset, codec, length(data), data FROM {topic.TableOf(partition)} WHERE last_offset >= $from ORDER BY last_offset";
        _from = _read.Parameters.Add("$from", SqliteType.Integer);
        _exists = connection.CreateCommand();
        _exists.CommandText = $"SELECT count(*) FROM {topic.TableOf(partition)} WHERE last_offset = $last";
        _last = _exists.Parameters.Add("$last", SqliteType.Integer);
    }

    public TopicInfo Topic { get; }

    public int Partition { get; }

    /// <summary>The next offset to read. Records deleted by retention are skipped by the range read.</summary>
    public long Position { get; set; }

    /// <summary>
    /// Reads up to <paramref name="max"/> records from the position on and advances past them, spending their key and
    /// value bytes from <paramref name="bytesLeft"/>: a record that does not fit is left for the next poll unless
    /// <paramref name="into"/> is still empty (a poll returns at least one record); then <paramref name="bytesLeft"/> is 0.
    /// </summary>
    public int Read(int max, ref long bytesLeft, List<LogRecord> into)
    {
        var count = 0;
        if (Position >= _batchBase && Position <= _batchLast && CachedBatchRetained())
        {
            count = DecodeCached(max, ref bytesLeft, into);
            if (count == max || bytesLeft == 0)
            {
                return count;
            }
        }

        _from.Value = Position;
        using var reader = _read.ExecuteReader();
        while (count < max && bytesLeft > 0 && reader.Read())
        {
            LoadBatch(reader);
            _batchBase = reader.GetInt64(0);
            _batchLast = reader.GetInt64(1);
            _nextPosition = 0;
            _nextOffset = _batchBase;
            count += DecodeCached(max - count, ref bytesLeft, into);
        }

        return count;
    }

    private void LoadBatch(SqliteDataReader reader)
    {
        _batchLast = -1; // no cached batch until this one is fully decoded
        var codec = (LogCompression)reader.GetInt32(2);
        var length = reader.GetInt32(3);
        if (_stored.Length < length)
        {
            _stored = new byte[Math.Max(length, (int)Math.Min((long)_stored.Length * 2, Array.MaxLength))];
        }

        reader.GetBytes(4, 0, _stored, 0, length);
        var records = _codec.Decode(codec, _stored.AsSpan(0, length), ref _decompressed);
        _data = codec == LogCompression.None ? _stored : _decompressed;
        _dataLength = records.Length;
    }

    private bool CachedBatchRetained()
    {
        _last.Value = _batchLast;
        if ((long)_exists.ExecuteScalar()! == 1)
        {
            return true;
        }

        _batchLast = -1;
        return false;
    }

    /// <summary>Decodes from the cached batch at Position (or its base, after a retention gap) onwards.</summary>
    private int DecodeCached(int max, ref long bytesLeft, List<LogRecord> into)
    {
        var data = _data.AsSpan(0, _dataLength);
        if (Position < _nextOffset)
        {
            // Rewound inside the batch: walk the headers again from its first record.
            _nextPosition = 0;
            _nextOffset = _batchBase;
        }

        while (_nextOffset < Position && _nextOffset <= _batchLast)
        {
            RecordBatchFormat.Skip(data, ref _nextPosition);
            _nextOffset++;
        }

        var count = 0;
        while (count < max && _nextOffset <= _batchLast)
        {
            var size = RecordBatchFormat.PayloadSizeAt(data, _nextPosition);
            if (size > bytesLeft && into.Count > 0)
            {
                bytesLeft = 0;
                break;
            }

            bytesLeft = Math.Max(0, bytesLeft - size);
            var (timestampMs, key, value) = RecordBatchFormat.Read(data, ref _nextPosition);
            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(timestampMs).UtcDateTime;
            into.Add(new LogRecord(Topic.Name, Partition, _nextOffset, timestamp, key, value));
            _nextOffset++;
            count++;
        }

        Position = _nextOffset;
        return count;
    }

    public void Dispose()
    {
        _read.Dispose();
        _exists.Dispose();
        _codec.Dispose();
    }
}
