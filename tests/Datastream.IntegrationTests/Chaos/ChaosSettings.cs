using Datastream.Cli;

namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// The size of one chaos run, from environment variables so the long acceptance run is the same test as the CI one:
/// DATASTREAM_CHAOS_RIDES, DATASTREAM_CHAOS_KILLS, DATASTREAM_CHAOS_INDEX_OUTAGE, DATASTREAM_CHAOS_LAKE_OUTAGE (a
/// duration: 60s, 2m, 0 for none) and DATASTREAM_CHAOS_SEED (replays a run's schedule; printed by every run).
/// </summary>
public sealed record ChaosSettings(int Rides, int Kills, TimeSpan IndexOutage, TimeSpan LakeOutage, int Seed)
{
    /// <summary>Share of the input lines that are invalid (every 50th line).</summary>
    public const int InvalidEvery = 50;

    /// <summary>One bad record is injected into rides_result per this many input lines.</summary>
    public const int BadResultEvery = 200;

    /// <summary>
    /// Reads the variables named <paramref name="prefix"/>_RIDES and so on, falling back to the given defaults; the
    /// seed is DATASTREAM_CHAOS_SEED for every variant, random when unset.
    /// </summary>
    public static ChaosSettings FromEnvironment(string prefix, int rides, int kills, TimeSpan indexOutage, TimeSpan lakeOutage) => new(
        Number($"{prefix}_RIDES", rides),
        Number($"{prefix}_KILLS", kills),
        Duration($"{prefix}_INDEX_OUTAGE", indexOutage),
        Duration($"{prefix}_LAKE_OUTAGE", lakeOutage),
        Number("DATASTREAM_CHAOS_SEED", Random.Shared.Next()));

    /// <summary>
    /// How long the kills and outages go on: long enough for the kills at about one every 1.5 s, and for both outages
    /// to fit in its middle (they start at a fifth of it and take at most 60 % of it).
    /// </summary>
    public TimeSpan ChaosWindow
    {
        get
        {
            var forKills = TimeSpan.FromSeconds(Kills * 1.5);
            var forOutages = (IndexOutage + LakeOutage) / 0.6;
            var window = forKills > forOutages ? forKills : forOutages;
            return window < TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : window;
        }
    }

    public override string ToString() =>
        $"rides {Rides}, kills {Kills}, index outage {IndexOutage.TotalSeconds:F0} s, lake outage {LakeOutage.TotalSeconds:F0} s, seed {Seed} (DATASTREAM_CHAOS_SEED={Seed} replays the schedule)";

    private static int Number(string variable, int fallback)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw new ArgumentException($"{variable}='{text}' is not a whole number ≥ 0");
    }

    private static TimeSpan Duration(string variable, TimeSpan fallback)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return text.Trim() is "0" or "0s" ? TimeSpan.Zero : DurationParser.Parse(text, variable);
    }
}
