using System.Globalization;

namespace Datastream.Web.Components.Shared;

/// <summary>
/// One minute of the dashboard's charts, labelled "HH:mm": a category axis over the DateTime itself spreads its
/// ticks between the minutes and repeats labels.
/// </summary>
public sealed record MinutePoint(string Minute, long Count, double AverageDistanceKm, double AveragePrice)
{
    public static MinutePoint From(MinuteFigures figures) => new(
        figures.MinuteUtc.ToString("HH:mm", CultureInfo.InvariantCulture), figures.Count, Math.Round(figures.AverageDistanceKm, 3), Math.Round(figures.AveragePrice, 2));
}
