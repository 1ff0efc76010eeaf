using Datastream.Core.Rides;

namespace Datastream.Core.Generation;

/// <summary>Pickups drawn from reference points (uber-split2.csv), each moved by up to ~30 m so that rides are not stacked.</summary>
public sealed class ReferencePickups : IPickupSource
{
    private const double JitterDegrees = 0.0003;
    private readonly IReadOnlyList<GeoPoint> points;
    private readonly Random random;

    public ReferencePickups(IReadOnlyList<GeoPoint> points, Random random)
    {
        if (points.Count == 0)
        {
            throw new ArgumentException("the reference holds no points", nameof(points));
        }

        this.points = points;
        this.random = random;
    }

    public GeoPoint Next()
    {
        var p = points[random.Next(points.Count)];
        double lat = Math.Clamp(p.Lat + (random.NextDouble() - 0.5) * 2 * JitterDegrees, -90, 90);
        double lon = Math.Clamp(p.Lon + (random.NextDouble() - 0.5) * 2 * JitterDegrees, -180, 180);
        return new GeoPoint(lat, lon);
    }
}
