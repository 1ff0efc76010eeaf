using Datastream.Core.Rides;
using Datastream.Pipelines.Search;
using Microsoft.Data.Sqlite;

namespace Datastream.Embedded.Index;

/// <summary>
/// Turns the filters of a <see cref="RideQuery"/> into a WHERE clause with parameters (values are always bound,
/// never spliced into the SQL). Time is [from, to) on ride ts; the price bounds are inclusive.
/// </summary>
internal static class RideSearchFilter
{
    /// <summary>
    /// The row of $ride_id: one ride_keys lookup per generation, newest first (rides has no key on ride_id; see
    /// <see cref="IndexDatabase"/>), counted down from the newest stored one; then a scan of the rows not keyed yet
    /// (those after ride_keys_through: less than one generation, in rowid order).
    /// </summary>
    private const string RowOfRideId = """
        rowid IN (
            WITH RECURSIVE generations(g) AS (
                SELECT max(generation) FROM ride_keys
                UNION ALL
                SELECT g - 1 FROM generations WHERE g > 0)
            SELECT k.ride_row FROM generations CROSS JOIN ride_keys AS k ON k.generation = generations.g AND k.ride_id = $ride_id
            UNION ALL
            SELECT unkeyed.rowid FROM rides AS unkeyed
            WHERE unkeyed.rowid > (SELECT ride_row FROM ride_keys_through) AND unkeyed.ride_id = $ride_id)
        """;

    public static string WhereClause(RideQuery query)
    {
        var conditions = new List<string>(6);
        if (query.RideId is not null)
        {
            conditions.Add(RowOfRideId);
        }

        if (query.FromUtc is not null)
        {
            conditions.Add($"{RideSchema.Names.Ts} >= $from");
        }

        if (query.ToUtc is not null)
        {
            conditions.Add($"{RideSchema.Names.Ts} < $to");
        }

        if (query.Comfort is not null)
        {
            conditions.Add($"{RideSchema.Names.Comfort} = $comfort");
        }

        if (query.MinPrice is not null)
        {
            conditions.Add($"{RideSchema.Names.PriceTotal} >= $min_price");
        }

        if (query.MaxPrice is not null)
        {
            conditions.Add($"{RideSchema.Names.PriceTotal} <= $max_price");
        }

        return conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
    }

    public static void Bind(SqliteCommand command, RideQuery query)
    {
        if (query.RideId is { } id)
        {
            command.Parameters.Add("$ride_id", SqliteType.Blob).Value = id;
        }

        if (query.FromUtc is { } from)
        {
            command.Parameters.Add("$from", SqliteType.Integer).Value = UnixMilliseconds.From(from);
        }

        if (query.ToUtc is { } to)
        {
            command.Parameters.Add("$to", SqliteType.Integer).Value = UnixMilliseconds.From(to);
        }

        if (query.Comfort is { } comfort)
        {
            command.Parameters.Add("$comfort", SqliteType.Integer).Value = (long)comfort;
        }

        if (query.MinPrice is { } min)
        {
            command.Parameters.Add("$min_price", SqliteType.Real).Value = min;
        }

        if (query.MaxPrice is { } max)
        {
            command.Parameters.Add("$max_price", SqliteType.Real).Value = max;
        }
    }
}
