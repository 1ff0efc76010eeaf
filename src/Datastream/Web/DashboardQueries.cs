using Datastream.Core.Rides;
using Datastream.Pipelines.Search;

namespace Datastream.Web;

/// <summary>The dashboard's figures, computed from the index's per-minute rollups and its latest rides.</summary>
public sealed class DashboardQueries(RunningSystem system)
{
    /// <summary>
    /// Per minute of ride ts over the last <paramref name="minutes"/> minutes: volume, average distance and price,
    /// and the comfort distribution of the window. The window ends at the newest indexed ride rather than the clock,
    /// so replayed or backfilled rides of another day still show.
    /// </summary>
    public async Task<DashboardVolume> VolumeAsync(int minutes, CancellationToken cancellationToken)
    {
        var newest = await system.Index.LatestAsync(1, cancellationToken);
        DateTime end = newest.Count > 0 ? newest[0].TsUtc : DateTime.UtcNow;
        DateTime to = new DateTime(end.Ticks - end.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(1);
        DateTime from = to.AddMinutes(-minutes);
        var rows = await system.Index.MinuteStatsAsync(from, to, cancellationToken);
        var perMinute = rows
            .GroupBy(r => r.MinuteUtc)
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
        return new DashboardVolume(from, to, perMinute, comfort, await system.Index.CountAsync(cancellationToken));
    }

    /// <summary>The origins of the latest rides with the cluster each is assigned to, and the centroids.</summary>
    public async Task<PickupMap> PickupsAsync(int count, CancellationToken cancellationToken)
    {
        var rides = await system.Index.LatestAsync(count, cancellationToken);
        var pickups = rides.Select(r => new Pickup(r.RideId, r.OriginLat, r.OriginLon, system.Model.Assign(new GeoPoint(r.OriginLat, r.OriginLon)), r.Comfort.WireName())).ToList();
        var centroids = system.Model.Centroids.Select(c => new CentroidPoint(c.Id, c.Lat, c.Lon)).ToList();
        return new PickupMap(pickups, centroids);
    }
}
