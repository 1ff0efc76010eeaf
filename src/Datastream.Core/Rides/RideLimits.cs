using System.Globalization;

namespace Datastream.Core.Rides;

/// <summary>
/// Plausibility limits of a ride (SPEC §3.1), the same for both input formats and for TransformJSON. A value
/// outside them is a schema dead letter naming the field. The upper bounds keep every computed price_total
/// finite and exact to the cent, so no accepted input can put Infinity (not JSON) into rides_result.
/// </summary>
public sealed record RideLimits
{
    /// <summary>The longest distance haversine gives on a sphere of radius 6371 km: half its circumference, to 3 decimals.</summary>
    public const double MaxDistanceKm = 20015.087;

    // Cents stay exact in a double up to 2^53 ≈ 9e15 cents; a bound well below keeps every total exact.
    private const double MaxRepresentableTotal = 1e13;

    /// <summary>How far after the processing time a ride's ts may be (clock skew, time zones got wrong). Limits:MaxTsAheadHours.</summary>
    public TimeSpan MaxTsAhead { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The earliest ts accepted; null (the default) accepts any past instant. Limits:EarliestTs.</summary>
    public DateTime? EarliestTsUtc { get; init; }

    /// <summary>One week. Limits:MaxDurationMin.</summary>
    public double MaxDurationMin { get; init; } = 10_080;

    /// <summary>Limits:MaxPriceBase.</summary>
    public double MaxPriceBase { get; init; } = 100_000;

    /// <summary>Limits:MaxPricePerKm.</summary>
    public double MaxPricePerKm { get; init; } = 100_000;

    /// <summary>Limits:MaxPricePerMin.</summary>
    public double MaxPricePerMin { get; init; } = 100_000;

    /// <summary>The computed price_total. Limits:MaxPriceTotal.</summary>
    public double MaxPriceTotal { get; init; } = 1_000_000_000;

    public static RideLimits Default { get; } = new();

    /// <summary>The largest price_total the input bounds allow: base + longest distance × per km + longest duration × per minute.</summary>
    public double WorstCaseTotal => MaxPriceBase + MaxDistanceKm * MaxPricePerKm + MaxDurationMin * MaxPricePerMin;

    /// <summary>Throws ArgumentException naming the configuration key of a bound that is not positive and finite, or too large to price exactly.</summary>
    public void Validate()
    {
        Positive(MaxTsAhead.TotalHours, "Limits:MaxTsAheadHours");
        Positive(MaxDurationMin, "Limits:MaxDurationMin");
        Positive(MaxPriceBase, "Limits:MaxPriceBase");
        Positive(MaxPricePerKm, "Limits:MaxPricePerKm");
        Positive(MaxPricePerMin, "Limits:MaxPricePerMin");
        Positive(MaxPriceTotal, "Limits:MaxPriceTotal");
        if (MaxPriceTotal > MaxRepresentableTotal)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Limits:MaxPriceTotal: {MaxPriceTotal} is above {MaxRepresentableTotal:0}, beyond which cents are no longer exact"));
        }

        if (!double.IsFinite(WorstCaseTotal))
        {
            throw new ArgumentException("Limits: MaxPriceBase + 20015.087 × MaxPricePerKm + MaxDurationMin × MaxPricePerMin overflows; lower them");
        }
    }

    /// <summary>Null when <paramref name="tsUtc"/> is within the limits, else why not (without the field's name).</summary>
    public string? CheckTs(DateTime tsUtc, DateTime nowUtc)
    {
        // In ticks: nowUtc + MaxTsAhead could overflow DateTime for a generous bound.
        if (tsUtc.Ticks - nowUtc.Ticks > MaxTsAhead.Ticks)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must not be more than {MaxTsAhead.TotalHours:0.##} h after the processing time (Limits:MaxTsAheadHours)");
        }

        if (EarliestTsUtc is { } earliest && tsUtc < earliest)
        {
            return string.Create(CultureInfo.InvariantCulture, $"must not be before {earliest:yyyy-MM-dd'T'HH:mm:ss'Z'} (Limits:EarliestTs)");
        }

        return null;
    }

    internal static string AtMost(double limit, string key) => string.Create(CultureInfo.InvariantCulture, $"must be at most {limit:R} ({key})");

    private static void Positive(double value, string key)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{key}: {value} must be a positive finite number"));
        }
    }
}
