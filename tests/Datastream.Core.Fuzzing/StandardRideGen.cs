using System.Text;
using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Valid standard rides_raw records (SPEC §3.1): random values within the limits, comfort aliases in any case,
/// ts with Z or an offset, escapes in keys and values, unknown extra fields, members in any order.
/// A few cross the price_total limit (a large price per km over a long distance).
/// </summary>
public static class StandardRideGen
{
    private static readonly string[] ExtraNames = ["driver_id", "Ride_id", "rideId", "ts ", "source", "meta", "tags", "note", "client", "data"];

    public static readonly Gen<byte[]> Valid = new GenFrom<byte[]>(pcg =>
    {
        var spelling = new JsonSpelling(pcg);
        var members = new List<(string, string)>
        {
            (spelling.Key("ride_id"), spelling.Quote(RideValues.RideId(pcg), pcg.Chance(10) ? 10 : 0, RideValues.MaxEscapesInShortValues)),
            (spelling.Key("ts"), spelling.Quote(RideValues.Timestamp(pcg, pcg.Draw(RideValues.TsUtc)), pcg.Chance(10) ? 10 : 0, RideValues.MaxEscapesInShortValues)),
            (spelling.Key("origin"), Point(spelling)),
            (spelling.Key("destination"), Point(spelling)),
            (spelling.Key("comfort"), spelling.Quote(RideValues.Comfort(pcg), pcg.Chance(10) ? 20 : 0)),
            (spelling.Key("duration_min"), spelling.Number(pcg.Draw(RideValues.DurationMin))),
            (spelling.Key("price_base"), spelling.Number(pcg.Draw(RideValues.Price))),
            (spelling.Key("price_per_km"), spelling.Number(pcg.Draw(RideValues.Price))),
            (spelling.Key("price_per_min"), spelling.Number(pcg.Draw(RideValues.Price))),
        };
        int extras = pcg.Chance(70) ? 0 : 1 + pcg.Below(3);
        var extraNames = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < extras; i++)
        {
            string name = pcg.Chance(50) ? pcg.Pick(ExtraNames) : "x_" + FreeText.Next(pcg, 6);
            if (extraNames.Add(name))
            {
                members.Add((spelling.Key(name), RandomJson.Value(spelling, 1, hostile: false)));
            }
        }

        if (pcg.Chance(3))
        {
            // A lone surrogate in the value of a field nobody reads is ignored, not an encoding error.
            members.Add((spelling.Key("x_unread"), pcg.Chance(50) ? "\"\\ud800\"" : "[\"a\\udc00\"]"));
        }

        if (pcg.Chance(30))
        {
            pcg.Shuffle(members);
        }

        return Encoding.UTF8.GetBytes(spelling.Object(members));
    });

    private static string Point(JsonSpelling spelling)
    {
        PCG pcg = spelling.Random;
        var members = new List<(string, string)>
        {
            (spelling.Key("lat"), spelling.Number(pcg.Draw(RideValues.Latitude))),
            (spelling.Key("lon"), spelling.Number(pcg.Draw(RideValues.Longitude))),
        };
        if (pcg.Chance(10))
        {
            members.Add((spelling.Key("alt"), spelling.Number(pcg.Below(9000))));
        }

        if (pcg.Chance(30))
        {
            pcg.Shuffle(members);
        }

        return spelling.Object(members);
    }
}
