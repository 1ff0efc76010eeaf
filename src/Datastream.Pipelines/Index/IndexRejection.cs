namespace Datastream.Pipelines.Index;

/// <summary>A ride the index refused for good (e.g. a mapping error), and why.</summary>
public readonly record struct IndexRejection(Guid RideId, string Reason);
