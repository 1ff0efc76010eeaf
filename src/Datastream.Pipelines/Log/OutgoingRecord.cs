namespace Datastream.Pipelines.Log;

/// <summary>A record to append. Records with a key go to the partition of the key's hash; without, round-robin.</summary>
public readonly record struct OutgoingRecord(string Topic, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value);
