namespace Datastream.Pipelines.Lake;

/// <summary>
/// One source partition's share of a commit: the records at offsets [<paramref name="Start"/>, <paramref name="End"/>)
/// that the commit settles, valid rides or not. <paramref name="End"/> is the offset the commit stores as the group's next.
/// </summary>
public readonly record struct LakeCommitRange(int SourcePartition, long Start, long End);
