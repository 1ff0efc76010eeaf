using System.Globalization;
using System.Text;
using CsCheck;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Valid course-format records (SPEC §3.2): {"data":[...]} of one to three elements with confort, prix_base_per_km
/// and the client's and driver's positions, names and phones (free text, absent, null, or a number for phones).
/// </summary>
public static class CourseRecordGen
{
    public static readonly Gen<byte[]> Valid = new GenFrom<byte[]>(pcg =>
    {
        var spelling = new JsonSpelling(pcg);
        int count = pcg.Chance(80) ? 1 : 2 + pcg.Below(2);
        var elements = Enumerable.Range(0, count).Select(_ => Element(spelling)).ToList();
        var members = new List<(string, string)> { (spelling.Key("data"), spelling.Array(elements)) };
        if (pcg.Chance(10))
        {
            members.Add((spelling.Key("source"), spelling.Text(FreeText.Next(pcg, 10))));
        }

        return Encoding.UTF8.GetBytes(spelling.Object(members));
    });

    private static string Element(JsonSpelling spelling)
    {
        PCG pcg = spelling.Random;
        var members = new List<(string, string)>
        {
            (spelling.Key("confort"), spelling.Quote(RideValues.Comfort(pcg), pcg.Chance(10) ? 20 : 0)),
            (spelling.Key("prix_base_per_km"), spelling.Number(pcg.Draw(RideValues.Price))),
            (spelling.Key("properties-client"), Party(spelling, "nomclient", "telephoneClient")),
            (spelling.Key("properties-driver"), Party(spelling, "nomDriver", "telephoneDriver")),
        };
        if (pcg.Chance(10))
        {
            members.Add((spelling.Key("commentaire"), RandomJson.Value(spelling, 2, hostile: false)));
        }

        if (pcg.Chance(30))
        {
            pcg.Shuffle(members);
        }

        return spelling.Object(members);
    }

    private static string Party(JsonSpelling spelling, string nameField, string phoneField)
    {
        PCG pcg = spelling.Random;
        var members = new List<(string, string)>
        {
            (spelling.Key("logitude"), spelling.Number(pcg.Draw(RideValues.Longitude))),
            (spelling.Key("latitude"), spelling.Number(pcg.Draw(RideValues.Latitude))),
        };
        switch (pcg.Below(8))
        {
            case 0:
                break;
            case 1:
                members.Add((spelling.Key(nameField), "null"));
                break;
            default:
                members.Add((spelling.Key(nameField), spelling.Text(FreeText.Next(pcg, 20))));
                break;
        }

        switch (pcg.Below(8))
        {
            case 0:
                break;
            case 1:
                members.Add((spelling.Key(phoneField), "null"));
                break;
            case 2:
                members.Add((spelling.Key(phoneField), (pcg.Next64() % 10_000_000_000).ToString(CultureInfo.InvariantCulture)));
                break;
            default:
                members.Add((spelling.Key(phoneField), spelling.Text("0" + (pcg.Next64() % 1_000_000_000).ToString(CultureInfo.InvariantCulture))));
                break;
        }

        if (pcg.Chance(30))
        {
            pcg.Shuffle(members);
        }

        return spelling.Object(members);
    }
}
