namespace Datastream.Core.Dlq;

/// <summary>Where a rejected record came from in the log (SPEC §3.5 "source").</summary>
public readonly record struct SourceRecordRef(string Topic, int Partition, long Offset, DateTime TimestampUtc);
