namespace Datastream.Embedded;

/// <summary>An output record staged by a unit of work, in buffers it owns.</summary>
internal readonly record struct StagedRecord(string Topic, byte[]? Key, byte[] Value);
