using Datastream.Core.Rides;

namespace Datastream.Pipelines.Search;

/// <summary>One rollup row: the rides of one comfort level whose ts falls in one minute.</summary>
public sealed record MinuteComfortStats(DateTime MinuteUtc, Comfort Comfort, long Count, double SumDistanceKm, double SumPriceTotal);
