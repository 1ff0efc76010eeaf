using System.Globalization;
using System.Text;
using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// rides_result documents (SPEC §3.4) as compute-cost writes them: fields in contract order, canonical comfort
/// and UTC timestamps, optional client and driver of the course format. Sometimes reordered, spaced or with
/// another valid spelling, as another producer of the topic might write them.
/// </summary>
public static class RideResultGen
{
    private static readonly string[] Comforts = ["low", "medium", "high"];

    public static readonly Gen<byte[]> Valid = new GenFrom<byte[]>(pcg =>
    {
        var spelling = new JsonSpelling(pcg);
        DateTime ts = pcg.Draw(RideValues.TsUtc);
        var members = new List<(string, string)>
        {
            (spelling.Key("ride_id"), spelling.Quote(pcg.Draw(Gen.Guid).ToString("D"), pcg.Chance(10) ? 10 : 0, RideValues.MaxEscapesInShortValues)),
            (spelling.Key("ts"), spelling.Quote(pcg.Chance(80) ? ts.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : RideValues.Timestamp(pcg, ts),
                pcg.Chance(10) ? 10 : 0, RideValues.MaxEscapesInShortValues)),
            (spelling.Key("origin"), Point(spelling)),
            (spelling.Key("destination"), Point(spelling)),
            // TransformJSON reads comfort unescaped, as compute-cost writes it.
            (spelling.Key("comfort"), spelling.Quote(pcg.Chance(90) ? pcg.Pick(Comforts) : RideValues.Comfort(pcg), 0)),
            (spelling.Key("duration_min"), spelling.Number(pcg.Draw(RideValues.DurationMin))),
            (spelling.Key("price_base"), spelling.Number(pcg.Draw(RideValues.Price))),
            (spelling.Key("price_per_km"), spelling.Number(pcg.Draw(RideValues.Price))),
            (spelling.Key("price_per_min"), spelling.Number(pcg.Draw(RideValues.Price))),
            (spelling.Key("distance_km"), spelling.Number(pcg.Draw(RideValues.DistanceKm))),
            (spelling.Key("price_total"), spelling.Number(pcg.Draw(RideValues.PriceTotal))),
        };
        if (pcg.Chance(20))
        {
            members.Add((spelling.Key("client"), Party(spelling)));
            members.Add((spelling.Key("driver"), Party(spelling)));
        }

        if (pcg.Chance(10))
        {
            pcg.Shuffle(members);
        }

        return Encoding.UTF8.GetBytes(spelling.Object(members));
    });

    private static string Point(JsonSpelling spelling) => spelling.Object(
    [
        (spelling.Key("lat"), spelling.Number(spelling.Random.Draw(RideValues.Latitude))),
        (spelling.Key("lon"), spelling.Number(spelling.Random.Draw(RideValues.Longitude))),
    ]);

    private static string Party(JsonSpelling spelling)
    {
        var members = new List<(string, string)>();
        if (spelling.Random.Chance(80))
        {
            members.Add((spelling.Key("name"), spelling.Text(FreeText.Next(spelling.Random, 20))));
        }

        if (spelling.Random.Chance(80))
        {
            members.Add((spelling.Key("phone"), spelling.Text("0" + spelling.Random.Below(1_000_000_000))));
        }

        return spelling.Object(members);
    }
}
