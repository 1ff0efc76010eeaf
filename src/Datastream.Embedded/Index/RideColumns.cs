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

    /// <summary>Parameters named <c>$column</c>, typed once so SQLite never has to infer them per row.</summary>
    public static void AddParameters(SqliteCommand command)
    {
        foreach (var name in Names)
        {
            var type = name switch
            {
                "ride_id" => SqliteType.Blob,
                "ts" or "comfort" or "agent_timestamp" => SqliteType.Integer,
                _ => SqliteType.Real,
            };
            command.Parameters.Add("$" + name, type);
        }
    }

    /// <summary>Sets the parameters that <see cref="AddParameters"/> added (the first fourteen, in column order).</summary>
    public static void Bind(SqliteCommand command, in FlatRide ride)
    {
        var p = command.Parameters;
        p[0].Value = ride.RideId;
        p[1].Value = UnixMilliseconds.From(ride.TsUtc);
        p[2].Value = (long)ride.Comfort;
        p[3].Value = ride.OriginLat;
        p[4].Value = ride.OriginLon;
        p[5].Value = ride.DestinationLat;
        p[6].Value = ride.DestinationLon;
        p[7].Value = ride.DurationMin;
        p[8].Value = ride.PriceBase;
        p[9].Value = ride.PricePerKm;
        p[10].Value = ride.PricePerMin;
        p[11].Value = ride.DistanceKm;
        p[12].Value = ride.PriceTotal;
        p[13].Value = UnixMilliseconds.From(ride.AgentTimestampUtc);
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
