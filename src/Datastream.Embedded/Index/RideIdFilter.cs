using System.IO.Hashing;

namespace Datastream.Embedded.Index;

/// <summary>
/// The ride_ids the index may hold, as a split-block Bloom filter (the layout Parquet and Impala use: a key sets one
/// bit in each of the eight 32-bit words of one 32-byte block, so a test touches one cache line). "No" is certain:
/// such a ride is new and is inserted without looking anything up. "Maybe" sends the writer to the ride_keys table.
/// Extra keys only cost lookups, never correctness, so keys of a rolled-back write may stay in.
///
/// Written by hand: no package served here has a Bloom filter, and the published algorithm is a few lines over
/// XxHash3 (System.IO.Hashing) of the id's 16 bytes.
/// </summary>
internal sealed class RideIdFilter
{
    /// <summary>~0.1 % false positives at capacity for a split-block filter (Putze et al.; Parquet's spec table).</summary>
    public const int BitsPerKey = 16;

    private static readonly uint[] Salts =
        [0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU, 0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U];

    private readonly uint[] _words;
    private readonly ulong _blocks;

    public RideIdFilter(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _blocks = (ulong)Math.Max(1, capacity * BitsPerKey / 256);
        _words = new uint[checked((int)(_blocks * 8))];
    }

    /// <summary>Keys this filter was sized for; past it the false-positive rate climbs, and the owner builds a larger one.</summary>
    public long Capacity { get; }

    /// <summary>Keys added (a key added twice counts twice: the owner adds each new ride once).</summary>
    public long Count { get; private set; }

    public long SizeInBytes => _words.LongLength * sizeof(uint);

    public void Add(Guid rideId)
    {
        var hash = Hash(rideId);
        var block = BlockOf(hash);
        var key = (uint)hash;
        for (var i = 0; i < 8; i++)
        {
            _words[block + i] |= Mask(key, i);
        }

        Count++;
    }

    public bool MayContain(Guid rideId)
    {
        var hash = Hash(rideId);
        var block = BlockOf(hash);
        var key = (uint)hash;
        for (var i = 0; i < 8; i++)
        {
            if ((_words[block + i] & Mask(key, i)) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The high 32 bits choose the block (multiply-shift: no modulo bias, no power-of-two size needed).</summary>
    private int BlockOf(ulong hash) => (int)(((hash >> 32) * _blocks) >> 32) * 8;

    private static uint Mask(uint key, int word) => 1U << (int)((key * Salts[word]) >> 27);

    private static ulong Hash(Guid rideId)
    {
        Span<byte> bytes = stackalloc byte[16];
        rideId.TryWriteBytes(bytes);
        return XxHash3.HashToUInt64(bytes);
    }
}
