using System.Globalization;

namespace Datastream.Web.Components.Shared;

/// <summary>
/// One bucket (a minute, or wider for long windows) of the dashboard's charts, labelled "HH:mm" ("MM-dd HH:mm" for
/// buckets of an hour or more, which span days): a category axis over the DateTime itself spreads its ticks between
/// the buckets and repeats labels.
/// </summary>
public sealed record MinutePoint(string Minute, long Count, double AverageDistanceKm, double AveragePrice)
{
    public static MinutePoint From(MinuteFigures figures, int bucketMinutes) => new(
        figures.MinuteUtc.ToString(bucketMinutes >= 60 ? "MM-dd HH:mm" : "HH:mm", CultureInfo.InvariantCulture), figures.Count, Math.Round(figures.AverageDistanceKm, 3), Math.Round(figures.AveragePrice, 2));
}
