namespace Datastream.Web;

/// <summary>
/// The window of ride ts the dashboard's charts and discover's search cover (`range` in /api): the last 15 minutes,
/// hour or day of data, or all of it. "Last" counts back from the newest indexed ride rather than the clock, as the
/// dashboard always did, so replayed or backfilled rides of another day still show.
/// </summary>
/// <param name="Name">The wire name: 15m, 1h, 24h, all.</param>
/// <param name="Label">What the selector shows.</param>
/// <param name="Span">How far back from the newest ride; null for all of the data.</param>
public sealed record TimeRange(string Name, string Label, TimeSpan? Span)
{
    /// <summary>The most points a chart gets: more would not fit its width, so longer windows get wider buckets.</summary>
    public const int MaxPoints = 120;

    private static readonly int[] BucketMinutes = [1, 5, 15, 60, 360, 1440, 10080];

    public static TimeRange Last15Minutes { get; } = new("15m", "last 15 min", TimeSpan.FromMinutes(15));

    public static TimeRange LastHour { get; } = new("1h", "last hour", TimeSpan.FromHours(1));

    public static TimeRange Last24Hours { get; } = new("24h", "last 24 h", TimeSpan.FromHours(24));

    public static TimeRange AllData { get; } = new("all", "all", null);

    public static IReadOnlyList<TimeRange> Choices { get; } = [Last15Minutes, LastHour, Last24Hours, AllData];

    /// <summary>The dashboard's window when none is chosen.</summary>
    public static TimeRange Default => LastHour;

    /// <summary>A wire name back to its range; anything else is one line naming the choices.</summary>
    public static TimeRange Parse(string text) =>
        Choices.FirstOrDefault(c => c.Name == text)
        ?? throw new ArgumentException($"range: '{text}' is not one of {string.Join(", ", Choices.Select(c => c.Name))}");

    /// <summary>The narrowest bucket (1, 5, 15 min, 1 h, 6 h, 1 day, 1 week) that keeps a window of <paramref name="window"/> within <see cref="MaxPoints"/> points.</summary>
    public static TimeSpan BucketFor(TimeSpan window)
    {
        foreach (int minutes in BucketMinutes)
        {
            if (window.TotalMinutes / minutes <= MaxPoints)
            {
                return TimeSpan.FromMinutes(minutes);
            }
        }

        return TimeSpan.FromMinutes(BucketMinutes[^1]);
    }

    /// <summary>Where the window starts, given the newest indexed ride's ts (null when the index is empty: no bound).</summary>
    public DateTime? StartFor(DateTime? newestUtc) => Span is { } span && newestUtc is { } newest ? newest - span : null;
}
