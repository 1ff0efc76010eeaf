using System.Text;
using System.Text.Json.Nodes;
using Datastream.Cli;

namespace Datastream.Tests;

/// <summary>
/// deploy/kibana/datastream.ndjson, as shipped inside the CLI, checked offline against the rides index template
/// (no Kibana runs here); and the checker itself, fed broken objects, so a pass means something.
/// </summary>
public sealed class KibanaSavedObjectsTests
{
    private static readonly KibanaSavedObjectsChecker Checker = new(IndexTemplateFields.Rides);

    private static string Shipped => Encoding.UTF8.GetString(KibanaCommand.BuiltInSavedObjects());

    [Fact]
    public void TheShippedSavedObjects_AreTheRepositoryFile()
    {
        Assert.Equal(RepositoryFiles.Read("deploy/kibana/datastream.ndjson"), Shipped);
    }

    [Fact]
    public void TheShippedSavedObjects_PassEveryCheck()
    {
        Assert.Empty(Checker.Check(Shipped));
    }

    [Fact]
    public void TheShippedSavedObjects_HoldTheDataViewThePanelsAndTheDashboard()
    {
        var objects = Lines(Shipped);
        var dataView = Assert.Single(objects, o => (string)o["type"]! == "index-pattern");
        Assert.Equal("rides*", (string)dataView["attributes"]!["title"]!);
        Assert.Equal("agent_timestamp", (string)dataView["attributes"]!["timeFieldName"]!);

        var columns = objects.Where(o => (string)o["type"]! == "lens")
            .SelectMany(o => o["attributes"]!["state"]!["datasourceStates"]!["formBased"]!["layers"]!.AsObject().SelectMany(l => l.Value!["columns"]!.AsObject()))
            .Select(c => ((string)c.Value!["operationType"]!, (string)c.Value!["sourceField"]!))
            .ToHashSet();
        Assert.Contains(("date_histogram", "agent_timestamp"), columns);
        Assert.Contains(("average", "distance_km"), columns);
        Assert.Contains(("average", "price_total"), columns);
        Assert.Contains(("sum", "price_total"), columns);
        Assert.Contains(("terms", "comfort"), columns);

        var map = Assert.Single(objects, o => (string)o["type"]! == "map");
        Assert.Contains("\"geoField\":\"origin\"", (string)map["attributes"]!["layerListJSON"]!);

        var dashboard = Assert.Single(objects, o => (string)o["type"]! == "dashboard");
        var panelTargets = dashboard["references"]!.AsArray().Select(r => (string)r!["id"]!).ToHashSet();
        var visualizations = objects.Where(o => (string)o["type"]! is "lens" or "map").Select(o => (string)o["id"]!).ToHashSet();
        Assert.True(visualizations.SetEquals(panelTargets), "the dashboard holds every visualization of the file, and nothing else");
    }

    [Theory]
    [InlineData("datastream-rides-average-distance", "distance_km", "comfort", "uses field 'comfort' of type keyword")]
    [InlineData("datastream-rides-volume-per-minute", "agent_timestamp", "price_total", "uses field 'price_total' of type double")]
    [InlineData("datastream-rides-revenue-by-comfort", "comfort", "origin", "uses field 'origin' of type geo_point")]
    [InlineData("datastream-rides-average-price", "price_total", "price", "uses field 'price', which the template does not map")]
    public void AColumnOnAWrongField_IsReported(string lensId, string field, string wrongField, string expected)
    {
        string broken = Mutate(Shipped, lensId, o =>
        {
            var columns = o["attributes"]!["state"]!["datasourceStates"]!["formBased"]!["layers"]!["rides"]!["columns"]!.AsObject();
            var column = columns.Select(c => c.Value!.AsObject()).First(c => (string?)c["sourceField"] == field);
            column["sourceField"] = wrongField;
        });

        var problem = Assert.Single(Checker.Check(broken));
        Assert.Contains(lensId, problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void AMapOnANonGeoField_IsReported()
    {
        string broken = Mutate(Shipped, "datastream-rides-pickups-map", o =>
        {
            var attributes = o["attributes"]!;
            attributes["layerListJSON"] = ((string)attributes["layerListJSON"]!).Replace("\"geoField\":\"origin\"", "\"geoField\":\"origin_lat\"", StringComparison.Ordinal);
        });

        Assert.Contains(Checker.Check(broken), p => p.Contains("geoField uses field 'origin_lat' of type double", StringComparison.Ordinal));
    }

    [Fact]
    public void ADataViewWhoseTimeFieldIsNotADate_IsReported()
    {
        string broken = Mutate(Shipped, "datastream-rides", o => o["attributes"]!["timeFieldName"] = "ride_id");

        Assert.Contains(Checker.Check(broken), p => p.Contains("time field uses field 'ride_id' of type keyword", StringComparison.Ordinal));
    }

    [Fact]
    public void ADataViewTheTemplateDoesNotCover_IsReported()
    {
        string broken = Mutate(Shipped, "datastream-rides", o => o["attributes"]!["title"] = "logs-*");

        Assert.Contains(Checker.Check(broken), p => p.Contains("'logs-*' is not covered", StringComparison.Ordinal));
    }

    [Fact]
    public void ReferencesToObjectsMissingFromTheFile_AreReported()
    {
        string withoutDataView = string.Join('\n', Lines(Shipped).Where(o => (string)o["type"]! != "index-pattern").Select(o => o.ToJsonString()));

        var problems = Checker.Check(withoutDataView);

        // Five Lens panels and the map read the data view.
        Assert.Equal(6, problems.Count(p => p.Contains("points at index-pattern datastream-rides, which is not in the file", StringComparison.Ordinal)));
    }

    [Fact]
    public void ADashboardPanelWithoutItsReference_IsReported()
    {
        string broken = Mutate(Shipped, "datastream-rides-dashboard", o =>
        {
            var references = o["references"]!.AsArray();
            references.Remove(references.First(r => (string)r!["id"]! == "datastream-rides-pickups-map"));
        });

        Assert.Contains(Checker.Check(broken), p => p.Contains("panel 'pickups' has no reference named 'pickups:panel_pickups'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAccessorToAMissingColumn_IsReported()
    {
        string broken = Mutate(Shipped, "datastream-rides-volume-per-minute", o =>
            o["attributes"]!["state"]!["visualization"]!["layers"]![0]!["accessors"] = new JsonArray("revenue"));

        Assert.Contains(Checker.Check(broken), p => p.Contains("draws column 'revenue', which layer 'rides' does not have", StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateIdsAndBrokenLines_AreReported()
    {
        string first = Shipped.Split('\n')[0];
        var problems = Checker.Check(Shipped + first + "\n{not json\n");

        Assert.Contains(problems, p => p.Contains("datastream-rides: id used by more than one object", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("line 10: not JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOperationTheCheckerDoesNotKnow_IsRefusedRatherThanPassed()
    {
        string broken = Mutate(Shipped, "datastream-rides-average-price", o =>
            o["attributes"]!["state"]!["datasourceStates"]!["formBased"]!["layers"]!["rides"]!["columns"]!["avg_price"]!["operationType"] = "moving_average");

        Assert.Contains(Checker.Check(broken), p => p.Contains("operation 'moving_average' is not one this checker knows", StringComparison.Ordinal));
    }

    private static List<JsonObject> Lines(string ndjson)
        => ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>The file with one object changed; the others stay byte for byte.</summary>
    private static string Mutate(string ndjson, string id, Action<JsonObject> change)
    {
        bool found = false;
        var lines = ndjson.Split('\n').Select(line =>
        {
            if (line.Length == 0)
            {
                return line;
            }

            var o = JsonNode.Parse(line)!.AsObject();
            if ((string)o["id"]! != id)
            {
                return line;
            }

            found = true;
            change(o);
            return o.ToJsonString();
        }).ToList();
        Assert.True(found, $"no object {id} in the file");
        return string.Join('\n', lines);
    }
}
