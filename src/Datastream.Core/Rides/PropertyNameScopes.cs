using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// The property names seen so far in each open JSON object, to reject duplicate keys (SPEC §3.1): parsers
/// keep "last one wins" silently, which would let two producers disagree on what a record says. Names are
/// compared unescaped, so "a" and "\u0061" collide. Reused across records; allocates only to grow.
/// </summary>
internal sealed class PropertyNameScopes
{
    private byte[] _names = new byte[512];
    private int _namesLength;
    private Key[] _keys = new Key[32];
    private int _keyCount;
    private Frame[] _frames = new Frame[8];
    private int _depth;

    public void Reset()
    {
        _namesLength = 0;
        _keyCount = 0;
        _depth = 0;
    }

    public void Open()
    {
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _depth * 2);
        }

        _frames[_depth++] = new Frame(_keyCount, _namesLength);
    }

    public void Close()
    {
        Frame frame = _frames[--_depth];
        _keyCount = frame.FirstKey;
        _namesLength = frame.NamesStart;
    }

    /// <summary>Adds the property name the reader is on to the innermost object; false when that object already has it.</summary>
    public bool TryAdd(ref Utf8JsonReader reader)
    {
        int room = reader.ValueSpan.Length;
        if (_namesLength + room > _names.Length)
        {
            Array.Resize(ref _names, Math.Max(_names.Length * 2, _namesLength + room));
        }

        int length = reader.ValueIsEscaped
            ? reader.CopyString(_names.AsSpan(_namesLength))
            : CopyRaw(reader.ValueSpan);
        ReadOnlySpan<byte> name = _names.AsSpan(_namesLength, length);
        int hash = Hash(name);

        for (int i = _frames[_depth - 1].FirstKey; i < _keyCount; i++)
        {
            Key key = _keys[i];
            if (key.Hash == hash && name.SequenceEqual(_names.AsSpan(key.Start, key.Length)))
            {
                return false;
            }
        }

        if (_keyCount == _keys.Length)
        {
            Array.Resize(ref _keys, _keyCount * 2);
        }

        _keys[_keyCount++] = new Key(_namesLength, length, hash);
        _namesLength += length;
        return true;
    }

    private int CopyRaw(ReadOnlySpan<byte> raw)
    {
        raw.CopyTo(_names.AsSpan(_namesLength));
        return raw.Length;
    }

    /// <summary>FNV-1a: a cheap filter so the linear scan mostly compares ints.</summary>
    private static int Hash(ReadOnlySpan<byte> name)
    {
        uint hash = 2166136261;
        foreach (byte b in name)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (int)hash;
    }

    private readonly record struct Key(int Start, int Length, int Hash);

    private readonly record struct Frame(int FirstKey, int NamesStart);
}
