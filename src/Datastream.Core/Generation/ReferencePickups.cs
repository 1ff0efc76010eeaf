using Datastream.Core.Rides;

namespace Datastream.Core.Generation;

/// <summary>Pickups drawn from reference points (uber-split2.csv), each moved by up to ~30 m so that rides are not stacked.</summary>
public sealed class ReferencePickups : IPickupSource
{
    private const double JitterDegrees = 0.0003;
    private readonly IReadOnlyList<GeoPoint> _points;
    private readonly Random _random;

    public ReferencePickups(IReadOnlyList<GeoPoint> points, Random random)
    {
        if (points.Count == 0)
        {
            throw new ArgumentException("the reference holds no points", nameof(points));
        }

        this._points = points;
        this._random = random;
    }

    public GeoPoint Next()
    {
        var p = _points[_random.Next(_points.Count)];
        double lat = Math.Clamp(p.Lat + (_random.NextDouble() - 0.5) * 2 * JitterDegrees, -90, 90);
        double lon = Math.Clamp(p.Lon + (_random.NextDouble() - 0.5) * 2 * JitterDegrees, -180, 180);
        return new GeoPoint(lat, lon);
    }
}
