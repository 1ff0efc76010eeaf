using System.Text.Json;

namespace Datastream.Core.Rides;

/// <summary>
/// The top-level fields of a ride document, in SPEC §3.1 / §3.4 order (lowest bit first): rides_raw has the first
/// nine (and "data" in the course format), rides_result adds distance_km and price_total. Flags, so a parser keeps
/// the fields it has seen in one int.
/// </summary>
[Flags]
internal enum RideField
{
    None = 0,
    RideId = 1 << 0,
    Ts = 1 << 1,
    Origin = 1 << 2,
    Destination = 1 << 3,
    Comfort = 1 << 4,
    DurationMin = 1 << 5,
    PriceBase = 1 << 6,
    PricePerKm = 1 << 7,
    PricePerMin = 1 << 8,
    DistanceKm = 1 << 9,
    PriceTotal = 1 << 10,
    Data = 1 << 11,
    Unknown = 1 << 12,

    /// <summary>What a rides_raw record of the standard format must have.</summary>
    RawRequired = RideId | Ts | Origin | Destination | Comfort | DurationMin | PriceBase | PricePerKm | PricePerMin,

    /// <summary>What a rides_result document must have.</summary>
    ResultRequired = RawRequired | DistanceKm | PriceTotal,
}

internal static class RideFieldNames
{
    // The longest name is 13 bytes; an escaped name longer than 6 bytes per character of that is none of them.
    private const int MaxEscapedNameBytes = 96;

    /// <summary>Which field the property name the reader is on names, unescaped (the caller has checked it holds no lone surrogate).</summary>
    public static RideField Classify(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Classify(reader.ValueSpan);
        }

        if (reader.ValueSpan.Length > MaxEscapedNameBytes)
        {
            return RideField.Unknown;
        }

        Span<byte> name = stackalloc byte[MaxEscapedNameBytes];
        return Classify(name[..reader.CopyString(name)]);
    }

    /// <summary>Which field an unescaped property name names.</summary>
    public static RideField Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when name.SequenceEqual("ts"u8) => RideField.Ts,
        4 when name.SequenceEqual("data"u8) => RideField.Data,
        6 when name.SequenceEqual("origin"u8) => RideField.Origin,
        7 when name.SequenceEqual("ride_id"u8) => RideField.RideId,
        7 when name.SequenceEqual("comfort"u8) => RideField.Comfort,
        10 when name.SequenceEqual("price_base"u8) => RideField.PriceBase,
        11 when name.SequenceEqual("destination"u8) => RideField.Destination,
        11 when name.SequenceEqual("distance_km"u8) => RideField.DistanceKm,
        11 when name.SequenceEqual("price_total"u8) => RideField.PriceTotal,
        12 when name.SequenceEqual("duration_min"u8) => RideField.DurationMin,
        12 when name.SequenceEqual("price_per_km"u8) => RideField.PricePerKm,
        13 when name.SequenceEqual("price_per_min"u8) => RideField.PricePerMin,
        _ => RideField.Unknown,
    };

    /// <summary>The JSON path of a field at the root: "$.ride_id".</summary>
    public static string PathOf(RideField field) => field switch
    {
        RideField.RideId => "$.ride_id",
        RideField.Ts => "$.ts",
        RideField.Origin => "$.origin",
        RideField.Destination => "$.destination",
        RideField.Comfort => "$.comfort",
        RideField.DurationMin => "$.duration_min",
        RideField.PriceBase => "$.price_base",
        RideField.PricePerKm => "$.price_per_km",
        RideField.PricePerMin => "$.price_per_min",
        RideField.DistanceKm => "$.distance_km",
        RideField.PriceTotal => "$.price_total",
        RideField.Data => "$.data",
        _ => "$",
    };

    /// <summary>The path of the first field (in contract order) of <paramref name="required"/> missing from <paramref name="seen"/>; null when none is.</summary>
    public static string? FirstMissing(RideField seen, RideField required)
    {
        int missing = (int)(required & ~seen);
        return missing == 0 ? null : PathOf((RideField)(missing & -missing));
    }
}
