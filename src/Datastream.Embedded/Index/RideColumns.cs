using Datastream.Core.Rides;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Index;

/// <summary>
/// The columns of <c>rides</c>: the flat fields of <see cref="RideSchema"/>, in its order, shared by the table's
/// definition, the writes (binding) and the reads (mapping). Instants are stored as Unix milliseconds and comfort as its
/// level, so ranges and rollups compare integers.
/// </summary>
internal static class RideColumns
{
    public static readonly string[] Names = [.. RideSchema.Flat.Select(f => f.Name)];

    public static readonly string List = string.Join(", ", Names);

    /// <summary>The column definitions of <c>CREATE TABLE rides</c>; ride_id is a 16-byte BLOB, located through ride_keys.</summary>
    public static readonly string Definitions = string.Join(",\n", RideSchema.Flat.Select(f => f.Type switch
    {
        RideValueType.Uuid => $"{f.Name} BLOB NOT NULL",
        RideValueType.Instant or RideValueType.Comfort => $"{f.Name} INTEGER NOT NULL",
        RideValueType.Number => $"{f.Name} REAL NOT NULL",
        _ => throw new InvalidOperationException($"{f.Name}: the rides table holds flat fields only"),
    }));

    /// <summary>
    /// Binds the ride to parameters ?1..?14 in column order; INSERT and UPDATE both number their parameters so, which
    /// lets one binding serve both.
    /// </summary>
    public static void Bind(PreparedStatement statement, in FlatRide ride)
    {
        var fields = RideSchema.Flat;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            switch (field.Type)
            {
                case RideValueType.Uuid:
                    statement.Bind(i + 1, ride.RideId);
                    break;
                case RideValueType.Instant:
                    statement.Bind(i + 1, UnixMilliseconds.From(field.InstantOf(ride)));
                    break;
                case RideValueType.Comfort:
                    statement.Bind(i + 1, (long)ride.Comfort);
                    break;
                default:
                    statement.Bind(i + 1, field.NumberOf(ride));
                    break;
            }
        }
    }

    /// <summary>Reads a row selected with <see cref="List"/>: the ordinals are <see cref="RideSchema.Flat"/>'s, the order of FlatRide's members.</summary>
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
