namespace Datastream.Pipelines.Lake;

/// <summary>
/// What <see cref="IRideLake.RecoverAsync"/> found for a partition: files of the last committed range that a crash
/// left unpublished (now published), and staged files of writers whose offsets were never committed (now deleted).
/// </summary>
public readonly record struct LakeRecovery(int Published, int Removed);
