using Datastream.Core.Rides;

namespace Datastream.Pipelines.Search;

/// <summary>Search filters (all optional, combined with AND) and the page wanted. Times are ride ts, [from, to).</summary>
public sealed record RideQuery
{
    public DateTime? FromUtc { get; init; }
    public DateTime? ToUtc { get; init; }
    public Comfort? Comfort { get; init; }
    public double? MinPrice { get; init; }
    public double? MaxPrice { get; init; }
    public Guid? RideId { get; init; }
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
}
