using System.Globalization;
using Datastream.Core.Rides;

namespace Datastream.Configuration;

/// <summary>Limits: the plausibility bounds both pipelines hold a ride to (SPEC §3.1); defaults are RideLimits'.</summary>
public sealed class LimitsOptions
{
    public double MaxTsAheadHours { get; set; } = RideLimits.Default.MaxTsAhead.TotalHours;

    /// <summary>ISO-8601; without an offset it is read as UTC (unlike a ride's ts, where that guess is refused).</summary>
    public string? EarliestTs { get; set; }

    public double MaxDurationMin { get; set; } = RideLimits.Default.MaxDurationMin;

    public double MaxPriceBase { get; set; } = RideLimits.Default.MaxPriceBase;

    public double MaxPricePerKm { get; set; } = RideLimits.Default.MaxPricePerKm;

    public double MaxPricePerMin { get; set; } = RideLimits.Default.MaxPricePerMin;

    public double MaxPriceTotal { get; set; } = RideLimits.Default.MaxPriceTotal;

    /// <summary>EarliestTs as UTC; false when it is set but not a timestamp.</summary>
    public bool TryEarliest(out DateTime? earliestUtc)
    {
        earliestUtc = null;
        if (EarliestTs is not { Length: > 0 } text)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        earliestUtc = parsed.UtcDateTime;
        return true;
    }

    public RideLimits ToRideLimits()
    {
        TryEarliest(out var earliest);
        return new RideLimits
        {
            MaxTsAhead = TimeSpan.FromHours(MaxTsAheadHours),
            EarliestTsUtc = earliest,
            MaxDurationMin = MaxDurationMin,
            MaxPriceBase = MaxPriceBase,
            MaxPricePerKm = MaxPricePerKm,
            MaxPricePerMin = MaxPricePerMin,
            MaxPriceTotal = MaxPriceTotal,
        };
    }
}
