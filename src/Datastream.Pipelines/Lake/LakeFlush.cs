namespace Datastream.Pipelines.Lake;

/// <summary>What one flush made visible.</summary>
public readonly record struct LakeFlush(int Files, long Rows);
