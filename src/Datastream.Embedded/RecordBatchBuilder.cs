namespace Datastream.Embedded;

/// <summary>
/// Accumulates the records of one partition in one write transaction into a <see cref="RecordBatchFormat"/> blob.
/// The buffer is reused across transactions, so steady-state appends allocate only the exact-size (compressed) blob
/// per row.
/// </summary>
internal sealed class RecordBatchBuilder
{
    /// <summary>
    /// Rows stay below these bounds (of uncompressed records) so one read never pulls an unbounded blob into memory,
    /// compressed or decompressed.
    /// </summary>
    public const int MaxRecords = 10_000;

    public const int MaxBytes = 4 * 1024 * 1024;

    private byte[] _buffer = new byte[16 * 1024];

    public int Count { get; private set; }

    public int Length { get; private set; }

    public long MaxTimestampMs { get; private set; } = long.MinValue;

    /// <summary>Key plus value bytes of the records, the measure of retention.bytes.</summary>
    public long PayloadBytes { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>False when the record must start a new row; a lone oversized record still gets a row of its own.</summary>
    public bool Fits(int keyLength, int valueLength) =>
        IsEmpty || (Count < MaxRecords && (long)Length + RecordBatchFormat.SizeOf(keyLength, valueLength) <= MaxBytes);

    public void Add(long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var size = RecordBatchFormat.SizeOf(key.Length, value.Length);
        if (Length + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(Length + size, Math.Min(_buffer.Length * 2, Array.MaxLength)));
        }

        Length += RecordBatchFormat.Write(_buffer.AsSpan(Length), timestampMs, key, value);
        Count++;
        MaxTimestampMs = Math.Max(MaxTimestampMs, timestampMs);
        PayloadBytes += key.Length + value.Length;
    }

    /// <summary>The encoded records, valid until the next Add or Clear.</summary>
    public ReadOnlySpan<byte> Records => _buffer.AsSpan(0, Length);

    public void Clear()
    {
        Count = 0;
        Length = 0;
        MaxTimestampMs = long.MinValue;
        PayloadBytes = 0;
    }
}
