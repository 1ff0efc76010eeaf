namespace Datastream.Core.Rides;

/// <summary>What a field of the ride schema holds; each engine maps a type to its own once (SQLite, Parquet, Elasticsearch).</summary>
public enum RideValueType
{
    /// <summary>ride_id: a UUID, written as text in its "D" form.</summary>
    Uuid,

    /// <summary>ts, agent_timestamp: a UTC instant, written as ISO-8601 with milliseconds and Z.</summary>
    Instant,

    /// <summary>comfort: a level, written by its wire name (low, medium, high).</summary>
    Comfort,

    /// <summary>A finite double: coordinates in degrees, minutes, prices, kilometres.</summary>
    Number,

    /// <summary>origin, destination in the index: an object {"lat":..,"lon":..}.</summary>
    GeoPoint,
}
