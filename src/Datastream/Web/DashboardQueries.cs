using Datastream.Core.Rides;
using Datastream.Pipelines.Search;

namespace Datastream.Web;

/// <summary>The dashboard's figures, computed from the index's per-minute rollups and its latest rides.</summary>
public sealed class DashboardQueries(RunningSystem system)
{
    /// <summary>
    /// Per bucket of ride ts over the window <paramref name="span"/> long (null: all the data): volume, average distance
    /// and price, and the comfort distribution of the window. Buckets are a minute wide up to two hours, wider beyond
    /// (<see cref="TimeRange.BucketFor"/>). The window ends at the newest indexed ride rather than the clock, so
    /// replayed or backfilled rides of another day still show.
    /// </summary>
    public async Task<DashboardVolume> VolumeAsync(TimeSpan? span, CancellationToken cancellationToken)
    {
        var newest = await system.Index.LatestAsync(1, cancellationToken);
        DateTime end = newest.Count > 0 ? newest[0].TsUtc : DateTime.UtcNow;
        DateTime to = new DateTime(end.Ticks - end.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(1);
        var rows = await system.Index.MinuteStatsAsync(span is { } window ? to - window : DateTime.UnixEpoch, to, cancellationToken);
        // All the data starts at its first minute: the rollups come ordered by minute.
        DateTime from = span is { } length ? to - length : rows.Count > 0 ? rows[0].MinuteUtc : to.AddMinutes(-1);
        var bucket = TimeRange.BucketFor(to - from);
        var perBucket = rows
            .GroupBy(r => from.AddTicks((r.MinuteUtc - from).Ticks / bucket.Ticks * bucket.Ticks))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                long count = g.Sum(r => r.Count);
                return new MinuteFigures(g.Key, count, count == 0 ? 0 : g.Sum(r => r.SumDistanceKm) / count, count == 0 ? 0 : g.Sum(r => r.SumPriceTotal) / count);
            })
            .ToList();
        var comfort = Enum.GetValues<Comfort>()
            .Select(c => new ComfortShare(c.WireName(), rows.Where(r => r.Comfort == c).Sum(r => r.Count)))
            .ToList();
        return new DashboardVolume(from, to, (int)bucket.TotalMinutes, perBucket, comfort, await system.Index.CountAsync(cancellationToken));
    }

    /// <summary>Where <paramref name="range"/> starts: its span back from the newest indexed ride; null for all the data or an empty index.</summary>
    public async Task<DateTime?> StartOfAsync(TimeRange range, CancellationToken cancellationToken)
    {
        if (range.Span is null)
        {
            return null;
        }

        var newest = await system.Index.LatestAsync(1, cancellationToken);
        return range.StartFor(newest.Count > 0 ? newest[0].TsUtc : null);
    }

    /// <summary>The origins of the latest rides with the cluster each is assigned to, and the centroids.</summary>
    public async Task<PickupMap> PickupsAsync(int count, CancellationToken cancellationToken)
    {
        var model = await system.Model.WaitAsync(cancellationToken);
        var rides = await system.Index.LatestAsync(count, cancellationToken);
        var pickups = rides.Select(r => new Pickup(r.RideId, r.OriginLat, r.OriginLon, model.Assign(new GeoPoint(r.OriginLat, r.OriginLon)), r.Comfort.WireName())).ToList();
        var centroids = model.Centroids.Select(c => new CentroidPoint(c.Id, c.Lat, c.Lon)).ToList();
        return new PickupMap(pickups, centroids);
    }
}
