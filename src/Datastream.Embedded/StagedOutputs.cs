using Microsoft.Data.Sqlite;

namespace Datastream.Embedded;

/// <summary>
/// The output records a unit of work staged, copied into one growing buffer it owns (the caller's spans are typically
/// pooled buffers reused right after Append returns); one buffer instead of two arrays per record keeps staging cheap.
/// </summary>
internal sealed class StagedOutputs
{
    private readonly List<(string Topic, int Start, int KeyLength, int ValueLength)> _records = [];
    private byte[] _buffer = new byte[16 * 1024];
    private int _length;

    public int Count => _records.Count;

    public void Add(string topic, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var size = key.Length + value.Length;
        if (_length + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + size, Math.Min(_buffer.Length * 2, Array.MaxLength)));
        }

        key.CopyTo(_buffer.AsSpan(_length));
        value.CopyTo(_buffer.AsSpan(_length + key.Length));
        _records.Add((topic, _length, key.Length, value.Length));
        _length += size;
    }

    /// <summary>Hands every staged record to the appender, in staging order.</summary>
    public void AppendTo(RecordAppender appender, SqliteTransaction transaction, long timestampMs)
    {
        foreach (var (topic, start, keyLength, valueLength) in _records)
        {
            appender.Append(transaction, topic, _buffer.AsSpan(start, keyLength), _buffer.AsSpan(start + keyLength, valueLength), timestampMs);
        }
    }

    public void Clear()
    {
        _records.Clear();
        _length = 0;
    }
}
