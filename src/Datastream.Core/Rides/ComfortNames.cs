using System.Text;

namespace Datastream.Core.Rides;

/// <summary>The wire names of <see cref="Comfort"/> and the aliases producers send (SPEC §3.1).</summary>
public static class ComfortNames
{
    /// <summary>The longest accepted name ("standard", "business"): anything longer is unknown without a look.</summary>
    internal const int MaxNameBytes = 8;

    public static string WireName(this Comfort comfort) => comfort switch
    {
        Comfort.Low => "low",
        Comfort.Medium => "medium",
        Comfort.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(comfort), comfort, "unknown comfort level"),
    };

    internal static ReadOnlySpan<byte> WireNameUtf8(Comfort comfort) => comfort switch
    {
        Comfort.Low => "low"u8,
        Comfort.Medium => "medium"u8,
        Comfort.High => "high"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(comfort), comfort, "unknown comfort level"),
    };

    /// <summary>Case-insensitive; low = eco, economy, standard; medium = comfort; high = business, premium, hight.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out Comfort comfort)
    {
        comfort = default;
        switch (utf8Name.Length)
        {
            case 3:
                if (Ascii.EqualsIgnoreCase(utf8Name, "low"u8) || Ascii.EqualsIgnoreCase(utf8Name, "eco"u8))
                {
                    comfort = Comfort.Low;
                    return true;
                }

                return false;
            case 4:
                return Match(utf8Name, "high"u8, Comfort.High, out comfort);
            case 5:
                return Match(utf8Name, "hight"u8, Comfort.High, out comfort);
            case 6:
                return Match(utf8Name, "medium"u8, Comfort.Medium, out comfort);
            case 7:
                return Match(utf8Name, "economy"u8, Comfort.Low, out comfort)
                    || Match(utf8Name, "comfort"u8, Comfort.Medium, out comfort)
                    || Match(utf8Name, "premium"u8, Comfort.High, out comfort);
            case 8:
                return Match(utf8Name, "standard"u8, Comfort.Low, out comfort)
                    || Match(utf8Name, "business"u8, Comfort.High, out comfort);
            default:
                return false;
        }
    }

    public static bool TryParse(string name, out Comfort comfort)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(Encoding.UTF8.GetBytes(name), out comfort);
    }

    private static bool Match(ReadOnlySpan<byte> name, ReadOnlySpan<byte> candidate, Comfort level, out Comfort comfort)
    {
        comfort = level;
        return Ascii.EqualsIgnoreCase(name, candidate);
    }
}
