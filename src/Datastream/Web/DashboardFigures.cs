namespace Datastream.Web;

// The shapes of the dashboard's figures, as the pages bind them and /api returns them.

public sealed record MinuteFigures(DateTime MinuteUtc, long Count, double AverageDistanceKm, double AveragePrice);

public sealed record ComfortShare(string Comfort, long Count);

/// <param name="BucketMinutes">How many minutes each entry of <paramref name="Minutes"/> covers (1 up to a two-hour window).</param>
public sealed record DashboardVolume(DateTime FromUtc, DateTime ToUtc, int BucketMinutes, IReadOnlyList<MinuteFigures> Minutes, IReadOnlyList<ComfortShare> Comfort, long IndexedTotal);

public sealed record Pickup(Guid RideId, double Lat, double Lon, int ClusterId, string Comfort);

public sealed record CentroidPoint(int ClusterId, double Lat, double Lon);

public sealed record PickupMap(IReadOnlyList<Pickup> Pickups, IReadOnlyList<CentroidPoint> Centroids);
