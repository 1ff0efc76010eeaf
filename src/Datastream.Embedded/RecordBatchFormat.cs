using System.Buffers.Binary;

namespace Datastream.Embedded;

/// <summary>
/// The binary layout of a batch row's <c>data</c> blob: the batch's records back to back, in offset order, each
/// <code>
///   int64  timestamp (Unix ms)
///   int32  key length, -1 for no key
///   bytes  key
///   int32  value length
///   bytes  value
/// </code>
/// all integers little-endian. Record i of a row has offset base_offset + i; the row's count says how many there are.
/// Lengths are stored (not offsets) so a reader can skip to any record by walking the headers, without an index.
/// </summary>
internal static class RecordBatchFormat
{
    private const int FixedSize = sizeof(long) + sizeof(int) + sizeof(int);

    /// <summary>Encoded size of one record; an empty key is stored as "no key".</summary>
    public static int SizeOf(int keyLength, int valueLength) => FixedSize + keyLength + valueLength;

    /// <summary>Writes one record at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, timestampMs);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], key.IsEmpty ? -1 : key.Length);
        key.CopyTo(destination[12..]);
        var at = 12 + key.Length;
        BinaryPrimitives.WriteInt32LittleEndian(destination[at..], value.Length);
        value.CopyTo(destination[(at + 4)..]);
        return at + 4 + value.Length;
    }

    /// <summary>Decodes the record at <paramref name="position"/> into buffers the caller owns, and moves past it.</summary>
    public static (long TimestampMs, byte[]? Key, byte[] Value) Read(ReadOnlySpan<byte> data, ref int position)
    {
        var timestampMs = BinaryPrimitives.ReadInt64LittleEndian(data[position..]);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 8)..]);
        var at = position + 12;
        byte[]? key = null;
        if (keyLength >= 0)
        {
            key = data.Slice(at, keyLength).ToArray();
            at += keyLength;
        }

        var valueLength = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        var value = data.Slice(at + 4, valueLength).ToArray();
        position = at + 4 + valueLength;
        return (timestampMs, key, value);
    }

    /// <summary>Key + value bytes of the record at <paramref name="position"/>, without decoding it.</summary>
    public static int PayloadSizeAt(ReadOnlySpan<byte> data, int position)
    {
        var keyLength = Math.Max(0, BinaryPrimitives.ReadInt32LittleEndian(data[(position + 8)..]));
        return keyLength + BinaryPrimitives.ReadInt32LittleEndian(data[(position + 12 + keyLength)..]);
    }

    /// <summary>Moves past the record at <paramref name="position"/> without copying it.</summary>
    public static void Skip(ReadOnlySpan<byte> data, ref int position)
    {
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 8)..]);
        var at = position + 12 + Math.Max(0, keyLength);
        position = at + 4 + BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
    }
}
