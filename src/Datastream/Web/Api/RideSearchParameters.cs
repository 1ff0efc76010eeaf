using System.Globalization;
using Datastream.Core.Rides;
using Datastream.Pipelines.Search;

namespace Datastream.Web.Api;

/// <summary>
/// Reads /api/rides query parameters (from, to, comfort, min_price, max_price, ride_id, offset, limit, range) into a
/// RideQuery; a bad value gives one line naming the parameter and what it should be.
/// </summary>
public static class RideSearchParameters
{
    public const int MaxLimit = 500;

    public static RideQuery Parse(IQueryCollection query)
    {
        var comfortText = Text(query, "comfort");
        Comfort? comfort = null;
        if (comfortText is not null)
        {
            comfort = ComfortNames.TryParse(comfortText, out var parsed)
                ? parsed
                : throw new ArgumentException($"comfort: '{comfortText}' is not one of low, medium, high");
        }

        var rideIdText = Text(query, "ride_id");
        Guid? rideId = null;
        if (rideIdText is not null)
        {
            rideId = Guid.TryParse(rideIdText, out var id) ? id : throw new ArgumentException($"ride_id: '{rideIdText}' is not a UUID");
        }

        int limit = Integer(query, "limit") ?? 50;
        if (limit is < 1 or > MaxLimit)
        {
            throw new ArgumentException($"limit: {limit} is not between 1 and {MaxLimit}");
        }

        int offset = Integer(query, "offset") ?? 0;
        if (offset < 0)
        {
            throw new ArgumentException($"offset: {offset} is negative");
        }

        return new RideQuery
        {
            FromUtc = Instant(query, "from"),
            ToUtc = Instant(query, "to"),
            Comfort = comfort,
            MinPrice = Number(query, "min_price"),
            MaxPrice = Number(query, "max_price"),
            RideId = rideId,
            Offset = offset,
            Limit = limit,
        };
    }

    /// <summary>
    /// The `range` parameter (15m, 1h, 24h, all; see <see cref="TimeRange"/>), or null when absent. It sets where the
    /// search starts, so it excludes `from`.
    /// </summary>
    public static TimeRange? Range(IQueryCollection query)
    {
        if (Text(query, "range") is not { } text)
        {
            return null;
        }

        var range = TimeRange.Parse(text);
        return Text(query, "from") is null ? range : throw new ArgumentException("range: give either range or from, not both");
    }

    private static string? Text(IQueryCollection query, string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;

    private static DateTime? Instant(IQueryCollection query, string name) => Text(query, name) is { } text
        ? DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not an ISO-8601 instant like 2025-10-30T16:09:47Z")
        : null;

    private static double? Number(IQueryCollection query, string name) => Text(query, name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not a number")
        : null;

    private static int? Integer(IQueryCollection query, string name) => Text(query, name) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not an integer")
        : null;
}
