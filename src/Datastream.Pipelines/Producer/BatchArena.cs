namespace Datastream.Pipelines.Producer;

/// <summary>
/// Holds the bytes of one batch of records in a few large chunks, reused across batches, so that producing
/// allocates nothing per record.
/// </summary>
internal sealed class BatchArena
{
    private const int ChunkSize = 1 << 20;
    private readonly List<byte[]> _chunks = [new byte[ChunkSize]];
    private int _chunk;
    private int _used;

    public void Reset()
    {
        _chunk = 0;
        _used = 0;
    }

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> value)
    {
        if (value.Length > ChunkSize)
        {
            // Oversized records (e.g. a too_large test record) get their own array.
            return value.ToArray();
        }

        if (_used + value.Length > ChunkSize)
        {
            _chunk++;
            _used = 0;
            if (_chunk == _chunks.Count)
            {
                _chunks.Add(new byte[ChunkSize]);
            }
        }

        var target = _chunks[_chunk].AsMemory(_used, value.Length);
        value.CopyTo(target.Span);
        _used += value.Length;
        return target;
    }
}
