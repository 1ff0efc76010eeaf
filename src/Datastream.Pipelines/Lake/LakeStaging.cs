namespace Datastream.Pipelines.Lake;

/// <summary>
/// What <see cref="IRideLake.StageAsync"/> wrote and <see cref="IRideLake.PublishAsync"/> makes visible once the log
/// has committed the ranges: the ranges, each staged file with the key it will be published under, and the rows.
/// </summary>
public sealed record LakeStaging(IReadOnlyList<LakeCommitRange> Ranges, IReadOnlyList<StagedLakeFile> Files, long Rows);

/// <summary>A staged file (invisible to readers) and the key it is published under.</summary>
public readonly record struct StagedLakeFile(string StagedKey, string FinalKey);
