using System.Security.Cryptography;

namespace Datastream.Core.Rides;

/// <summary>
/// The ride_id of a course-format ride (SPEC §3.2), which carries none: a name-based UUID v5 (RFC 9562, SHA-1)
/// of the element's canonical bytes, so that reprocessing the same record yields the same ids.
/// </summary>
public static class CourseRideId
{
    /// <summary>
    /// The Datastream namespace of course ride ids. Fixed forever: changing it changes every derived id and
    /// breaks the idempotence of replays into the sinks.
    /// </summary>
    public static readonly Guid Namespace = new("d7781126-e632-46e3-9d2e-66d5c99be568");

    /// <summary>The v5 UUID of <paramref name="canonicalElement"/>: the element re-serialized as compact JSON.</summary>
    public static Guid For(ReadOnlySpan<byte> canonicalElement)
    {
        byte[] name = new byte[16 + canonicalElement.Length];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        canonicalElement.CopyTo(name.AsSpan(16));

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(name, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
