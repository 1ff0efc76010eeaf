using System.Buffers;

namespace Datastream.Core.Rides;

/// <summary>
/// Reusable output of ComputeCostTravel: the rides_result JSON documents of a batch, with their ride ids,
/// held in one growing buffer so that pricing a batch allocates nothing per record.
/// </summary>
public sealed class RideResultBuffer
{
    private const int InitialBytes = 64 * 1024;
    private const int InitialEntries = 256;

    private byte[] _bytes;
    private int _written;
    private Guid[] _rideIds;
    private int[] _starts;
    private int[] _lengths;
    private int _count;

    public RideResultBuffer()
    {
        _bytes = ArrayPool<byte>.Shared.Rent(InitialBytes);
        _rideIds = new Guid[InitialEntries];
        _starts = new int[InitialEntries];
        _lengths = new int[InitialEntries];
        Output = new Writer(this);
    }

    public int Count => _count;

    /// <summary>Total bytes of JSON held, e.g. to cap a batch by size.</summary>
    public int ByteCount => _written;

    public Guid RideId(int index)
    {
        CheckIndex(index);
        return _rideIds[index];
    }

    /// <summary>The compact UTF-8 rides_result JSON of result <paramref name="index"/>; valid until Clear.</summary>
    public ReadOnlySpan<byte> Value(int index)
    {
        CheckIndex(index);
        return new ReadOnlySpan<byte>(_bytes, _starts[index], _lengths[index]);
    }

    public void Clear()
    {
        _count = 0;
        _written = 0;
    }

    /// <summary>Where the JSON of the next result is written; a document starts at <see cref="ByteCount"/>.</summary>
    internal IBufferWriter<byte> Output { get; }

    /// <summary>A point to roll back to, so a record that fails halfway (a course record's later element, an exception) leaves nothing behind.</summary>
    public Mark Save() => new(_count, _written);

    public void RollBack(Mark mark)
    {
        _count = mark.Count;
        _written = mark.Written;
    }

    /// <summary>Records the bytes written since <paramref name="start"/> as one result.</summary>
    internal void Commit(Guid rideId, int start)
    {
        if (_count == _rideIds.Length)
        {
            int size = _count * 2;
            Array.Resize(ref _rideIds, size);
            Array.Resize(ref _starts, size);
            Array.Resize(ref _lengths, size);
        }

        _rideIds[_count] = rideId;
        _starts[_count] = start;
        _lengths[_count] = _written - start;
        _count++;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"must be in [0, {_count})");
        }
    }

    private void Grow(int sizeHint)
    {
        int needed = checked(_written + Math.Max(sizeHint, 1));
        if (needed <= _bytes.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, checked(_bytes.Length * 2)));
        _bytes.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = larger;
    }

    public readonly record struct Mark(int Count, int Written);

    /// <summary>Kept apart so the buffer's public surface does not expose raw writing.</summary>
    private sealed class Writer(RideResultBuffer owner) : IBufferWriter<byte>
    {
        public void Advance(int count)
        {
            if (count < 0 || owner._written + count > owner._bytes.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            owner._written += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            owner.Grow(sizeHint);
            return owner._bytes.AsMemory(owner._written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            owner.Grow(sizeHint);
            return owner._bytes.AsSpan(owner._written);
        }
    }
}
