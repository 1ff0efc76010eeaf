using Datastream.Core.Rides;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Index;

/// <summary>The columns of <c>rides</c> in one fixed order, shared by the writes (binding) and the reads (mapping).</summary>
internal static class RideColumns
{
    public static readonly string[] Names =
    [
        "ride_id", "ts", "comfort", "origin_lat", "origin_lon", "destination_lat", "destination_lon", "duration_min",
        "price_base", "price_per_km", "price_per_min", "distance_km", "price_total", "agent_timestamp",
    ];

    public static readonly string List = string.Join(", ", Names);

    /// <summary>
    /// Binds the ride to parameters ?1..?14 in column order; INSERT and UPDATE both number their parameters so, which
    /// lets one binding serve both.
    /// </summary>
    public static void Bind(PreparedStatement statement, in FlatRide ride)
    {
        statement.Bind(1, ride.RideId);
        statement.Bind(2, UnixMilliseconds.From(ride.TsUtc));
        statement.Bind(3, (long)ride.Comfort);
        statement.Bind(4, ride.OriginLat);
        statement.Bind(5, ride.OriginLon);
        statement.Bind(6, ride.DestinationLat);
        statement.Bind(7, ride.DestinationLon);
        statement.Bind(8, ride.DurationMin);
        statement.Bind(9, ride.PriceBase);
        statement.Bind(10, ride.PricePerKm);
        statement.Bind(11, ride.PricePerMin);
        statement.Bind(12, ride.DistanceKm);
        statement.Bind(13, ride.PriceTotal);
        statement.Bind(14, UnixMilliseconds.From(ride.AgentTimestampUtc));
    }

    /// <summary>Reads a row selected with <see cref="List"/>.</summary>
    public static FlatRide Read(SqliteDataReader reader) => new(
        reader.GetGuid(0),
        UnixMilliseconds.ToUtc(reader.GetInt64(1)),
        (Comfort)reader.GetInt64(2),
        reader.GetDouble(3),
        reader.GetDouble(4),
        reader.GetDouble(5),
        reader.GetDouble(6),
        reader.GetDouble(7),
        reader.GetDouble(8),
        reader.GetDouble(9),
        reader.GetDouble(10),
        reader.GetDouble(11),
        reader.GetDouble(12),
        UnixMilliseconds.ToUtc(reader.GetInt64(13)));
}
