namespace Datastream.Pipelines.Producer;

/// <summary>
/// Holds the bytes of one batch of records in a few large chunks, reused across batches, so that producing
/// allocates nothing per record.
/// </summary>
internal sealed class BatchArena
{
    private const int ChunkSize = 1 << 20;
    private readonly List<byte[]> chunks = [new byte[ChunkSize]];
    private int chunk;
    private int used;

    public void Reset()
    {
        chunk = 0;
        used = 0;
    }

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> value)
    {
        if (value.Length > ChunkSize)
        {
            // Oversized records (e.g. a too_large test record) get their own array.
            return value.ToArray();
        }

        if (used + value.Length > ChunkSize)
        {
            chunk++;
            used = 0;
            if (chunk == chunks.Count)
            {
                chunks.Add(new byte[ChunkSize]);
            }
        }

        var target = chunks[chunk].AsMemory(used, value.Length);
        value.CopyTo(target.Span);
        used += value.Length;
        return target;
    }
}
