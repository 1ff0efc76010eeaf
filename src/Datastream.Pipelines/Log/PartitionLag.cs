namespace Datastream.Pipelines.Log;

/// <summary>How far a consumer is behind on one partition: EndOffset − Position.</summary>
public readonly record struct PartitionLag(string Topic, int Partition, long Position, long EndOffset)
{
    public long Lag => Math.Max(0, EndOffset - Position);
}
