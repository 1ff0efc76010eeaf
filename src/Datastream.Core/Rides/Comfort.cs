namespace Datastream.Core.Rides;

/// <summary>The canonical comfort levels of SPEC §3.1; the wire names are lower case.</summary>
public enum Comfort : byte
{
    Low = 0,
    Medium = 1,
    High = 2,
}
