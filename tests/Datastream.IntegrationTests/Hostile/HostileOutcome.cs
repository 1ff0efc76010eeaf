namespace Datastream.IntegrationTests.Hostile;

/// <summary>
/// What one hostile record must become: priced rides (one per ride it holds; for index-and-export: indexed), or
/// exactly one dead letter of <see cref="Kind"/> (null: any kind but internal), at <see cref="Path"/> when the path
/// matters (null: any path), with its payload truncated when <see cref="Truncated"/> (the envelope would pass the cap).
/// </summary>
public sealed record HostileOutcome(bool IsAccepted, IReadOnlyList<ExpectedRide> Rides, string? Kind, string? Path, bool Truncated)
{
    public static HostileOutcome Accepted(params ExpectedRide[] rides) => new(true, rides, null, null, false);

    public static HostileOutcome DeadLetter(string? kind, string? path = null, bool truncated = false) => new(false, [], kind, path, truncated);

    public override string ToString() => IsAccepted
        ? $"accepted ({Rides.Count} ride(s))"
        : $"{Kind ?? "a dead letter"}{(Path is null ? "" : " at " + Path)}{(Truncated ? ", truncated" : "")}";
}
