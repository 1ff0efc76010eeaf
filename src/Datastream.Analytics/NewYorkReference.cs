using Datastream.Core.Generation;
using Datastream.Core.Rides;

namespace Datastream.Analytics;

/// <summary>
/// The built-in training set when no reference CSV is given (SPEC §4): pickups drawn from the synthetic New York
/// generator with a fixed seed, so two runs without a CSV train the same model.
/// </summary>
public static class NewYorkReference
{
    public const int DefaultCount = 20_000;
    public const int DefaultSeed = 2014;
    public const string Name = "synthetic:new-york";

    public static List<GeoPoint> Draw(int count = DefaultCount, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        IPickupSource source = new NewYorkPickups(new Random(seed));
        var points = new List<GeoPoint>(count);
        for (int i = 0; i < count; i++)
        {
            points.Add(source.Next());
        }

        return points;
    }
}
