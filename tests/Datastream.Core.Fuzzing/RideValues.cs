using System.Globalization;
using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Plausible values of a ride's fields, weighted towards the bounds of the limits (±90, ±180, one week,
/// 100,000 per price) so that the fuzz runs cross them often.
/// </summary>
internal static class RideValues
{
    public static readonly Gen<double> Latitude = Gen.Frequency(
        (8, Gen.Double[-90, 90]), (1, Gen.OneOf(-90.0, 90.0, 0.0, -0.0, 48.8566, 89.999999)));

    public static readonly Gen<double> Longitude = Gen.Frequency(
        (8, Gen.Double[-180, 180]), (1, Gen.OneOf(-180.0, 180.0, 0.0, -0.0, 2.3522, -179.999999)));

    public static readonly Gen<double> DurationMin = Gen.Frequency(
        (8, Gen.Double[0, 180]), (1, Gen.OneOf(0.0, 10_080.0, 0.5)), (1, Gen.Double[0, 10_080]));

    public static readonly Gen<double> Price = Gen.Frequency(
        (8, Gen.Double[0, 20]), (1, Gen.OneOf(0.0, 100_000.0, 0.01)), (1, Gen.Double[0, 100_000]));

    public static readonly Gen<double> DistanceKm = Gen.Frequency(
        (8, Gen.Double[0, 100]), (1, Gen.OneOf(0.0, 20_015.087)), (1, Gen.Double[0, 20_015.087]));

    public static readonly Gen<double> PriceTotal = Gen.Frequency(
        (8, Gen.Double[0, 500]), (1, Gen.OneOf(0.0, 1_000_000_000.0)), (1, Gen.Double[0, 1_000_000_000]));

    /// <summary>Instants up to a day after <see cref="FuzzClock.Now"/>, the latest the limits allow.</summary>
    public static readonly Gen<DateTime> TsUtc = Gen.Frequency(
        (20, Gen.DateTime[new DateTime(2000, 1, 1), FuzzClock.Now.AddHours(23)]),
        (1, Gen.OneOf(FuzzClock.Now.AddHours(24), new DateTime(1970, 1, 1), new DateTime(2024, 2, 29, 23, 59, 59))));

    /// <summary>
    /// The parsers unescape ride_id and ts into 64 bytes: a UUID or timestamp spelled with more escapes
    /// (6 bytes each) is refused, so the valid records escape at most this many of their characters.
    /// </summary>
    public const int MaxEscapesInShortValues = 4;

    public static readonly string[] ComfortNames = ["low", "medium", "high", "eco", "economy", "standard", "comfort", "business", "premium", "hight"];

    public static string Comfort(PCG pcg)
    {
        string name = pcg.Pick(ComfortNames);
        return pcg.Chance(70) ? name : string.Concat(name.Select(c => pcg.Chance(50) ? char.ToUpperInvariant(c) : c));
    }

    public static string RideId(PCG pcg)
    {
        string id = pcg.Draw(Gen.Guid).ToString("D");
        return pcg.Chance(85) ? id : id.ToUpperInvariant();
    }

    /// <summary>An ISO-8601 text of <paramref name="utc"/>: with Z or a ±hh:mm offset, and 0, 1, 3 or 7 fraction digits.</summary>
    public static string Timestamp(PCG pcg, DateTime utc)
    {
        int offsetMinutes = pcg.Chance(60) ? 0 : (pcg.Below(113) - 56) * 15;
        DateTime local = utc.AddMinutes(offsetMinutes);
        string fraction = pcg.Pick(new[] { "", ".f", ".fff", ".fffffff" });
        string text = local.ToString("yyyy-MM-dd'T'HH:mm:ss" + fraction, CultureInfo.InvariantCulture);
        if (offsetMinutes == 0 && pcg.Chance(80))
        {
            return text + "Z";
        }

        var offset = TimeSpan.FromMinutes(Math.Abs(offsetMinutes));
        return text + (offsetMinutes < 0 ? "-" : "+") + offset.ToString("hh\\:mm", CultureInfo.InvariantCulture);
    }
}
