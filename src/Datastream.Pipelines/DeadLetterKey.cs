namespace Datastream.Pipelines;

/// <summary>
/// The key a dead letter is produced with: its source record's key, unless that key is so large that key and envelope
/// together might not fit the log's maximum message size. The envelope's source offset still leads to the original.
/// </summary>
public static class DeadLetterKey
{
    public const int MaxBytes = 256;

    public static ReadOnlyMemory<byte> For(byte[]? sourceKey) => sourceKey is { Length: <= MaxBytes } key ? key : ReadOnlyMemory<byte>.Empty;
}
