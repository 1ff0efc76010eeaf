using System.Buffers.Binary;
using K4os.Compression.LZ4;
using ZstdSharp;

namespace Datastream.Embedded;

/// <summary>
/// Compresses and decompresses batch rows' data blobs. A compressed blob is
/// <code>
///   int32  length of the records once decompressed (little-endian)
///   bytes  the records (<see cref="RecordBatchFormat"/>) as one LZ4 block or one zstd frame
/// </code>
/// The length comes first so a reader sizes its buffer once and can check the codec produced exactly that much.
/// A blob the codec cannot shrink is stored uncompressed (codec None), so compression never costs space.
/// One instance per connection: its zstd contexts and scratch buffer are reused and not thread-safe.
/// </summary>
internal sealed class RecordBatchCodec : IDisposable
{
    /// <summary>zstd's fastest regular level: compressing costs about what LZ4 does here (LogCompressionBenchmarks).</summary>
    public const int ZstdLevel = 1;

    private const int HeaderSize = sizeof(int);

    private readonly LogCompression _compression;
    private Compressor? _compressor;
    private Decompressor? _decompressor;
    private byte[] _scratch = [];

    public RecordBatchCodec(LogCompression compression)
    {
        if (!Enum.IsDefined(compression))
        {
            throw new ArgumentOutOfRangeException(nameof(compression), compression, "not a log compression codec");
        }

        _compression = compression;
    }

    /// <summary>
    /// The blob to store for <paramref name="records"/>, and in <paramref name="codec"/> the codec it was stored with:
    /// <paramref name="records"/> itself when stored uncompressed, else a span of this codec's scratch buffer, valid
    /// until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> records, out LogCompression codec)
    {
        codec = LogCompression.None;
        if (_compression == LogCompression.None || records.IsEmpty)
        {
            return records;
        }

        var bound = HeaderSize + (_compression == LogCompression.Lz4
            ? LZ4Codec.MaximumOutputSize(records.Length)
            : Compressor.GetCompressBound(records.Length));
        if (_scratch.Length < bound)
        {
            _scratch = new byte[bound];
        }

        BinaryPrimitives.WriteInt32LittleEndian(_scratch, records.Length);
        var body = _scratch.AsSpan(HeaderSize);
        var written = _compression == LogCompression.Lz4
            ? LZ4Codec.Encode(records, body, LZ4Level.L00_FAST)
            : (_compressor ??= new Compressor(ZstdLevel)).Wrap(records, body);
        if (written < 0)
        {
            throw new InvalidOperationException($"{_compression} failed to compress a batch of {records.Length} bytes");
        }

        if (HeaderSize + written >= records.Length)
        {
            return records;
        }

        codec = _compression;
        return _scratch.AsSpan(0, HeaderSize + written);
    }

    /// <summary>
    /// The records of a stored blob: <paramref name="stored"/> itself when uncompressed, else decompressed into
    /// <paramref name="buffer"/> (grown when too small, reused by the caller across batches).
    /// </summary>
    public ReadOnlySpan<byte> Decode(LogCompression codec, ReadOnlySpan<byte> stored, ref byte[] buffer)
    {
        if (!Enum.IsDefined(codec))
        {
            throw new InvalidDataException($"a batch has unknown codec {(int)codec}: written by a newer build?");
        }

        if (codec == LogCompression.None)
        {
            return stored;
        }

        if (stored.Length < HeaderSize)
        {
            throw new InvalidDataException($"a {codec} batch of {stored.Length} bytes has no length header");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(stored);
        if (length < 0)
        {
            throw new InvalidDataException($"a {codec} batch claims {length} bytes once decompressed");
        }

        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, (int)Math.Min((long)buffer.Length * 2, Array.MaxLength))];
        }

        var body = stored[HeaderSize..];
        var target = buffer.AsSpan(0, length);
        var decoded = codec switch
        {
            LogCompression.Lz4 => LZ4Codec.Decode(body, target),
            LogCompression.Zstd => (_decompressor ??= new Decompressor()).Unwrap(body, target),
            _ => throw new InvalidOperationException($"no decoder for {codec}"),
        };
        if (decoded != length)
        {
            throw new InvalidDataException($"a {codec} batch decompressed to {decoded} bytes, its header says {length}");
        }

        return target;
    }

    public void Dispose()
    {
        _compressor?.Dispose();
        _decompressor?.Dispose();
    }
}
