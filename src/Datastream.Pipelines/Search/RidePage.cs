using Datastream.Core.Rides;

namespace Datastream.Pipelines.Search;

/// <summary>One page of search results and how many rides match in all.</summary>
public sealed record RidePage(long Total, IReadOnlyList<FlatRide> Rides);
