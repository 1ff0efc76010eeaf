using Datastream.Core.Rides;

namespace Datastream.Core.Generation;

/// <summary>Where generated rides start.</summary>
public interface IPickupSource
{
    GeoPoint Next();
}
