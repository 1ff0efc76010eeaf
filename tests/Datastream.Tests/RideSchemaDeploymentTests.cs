using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Datastream.Core.Rides;

namespace Datastream.Tests;

/// <summary>
/// What is deployed or shipped as text, checked against the ride schema (<see cref="RideSchema"/>): the Elasticsearch
/// index template, the Kibana saved objects and the warehouse SQL. A field renamed or retyped in the schema fails here
/// until every file follows.
/// </summary>
public sealed partial class RideSchemaDeploymentTests
{
    private const string SqlFolder = "src/Datastream.Warehouse/Sql";

    /// <summary>The schema as an index template would map it.</summary>
    private static readonly IndexTemplateFields SchemaMapping = new(
        RideSchema.IndexDocument.ToDictionary(f => f.Name, f => f.ElasticsearchType, StringComparer.Ordinal),
        IndexTemplateFields.Rides.IndexPatterns);

    [Fact]
    public void The_index_template_maps_the_index_document_field_by_field_in_schema_order()
    {
        var properties = JsonNode.Parse(RepositoryFiles.Read("deploy/elasticsearch/rides-template.json"))!["template"]!["mappings"]!["properties"]!.AsObject();

        Assert.Equal(
            RideSchema.IndexDocument.Select(f => (f.Name, f.ElasticsearchType)),
            properties.Select(p => (p.Key, (string)p.Value!["type"]!)));
    }

    [Fact]
    public void The_Kibana_objects_use_only_schema_fields_of_fitting_types()
    {
        Assert.Empty(new KibanaSavedObjectsChecker(SchemaMapping).Check(RepositoryFiles.Read("deploy/kibana/datastream.ndjson")));
    }

    [Fact]
    public void The_lake_view_selects_the_flat_fields_first_in_schema_order()
    {
        var sql = WithoutComments(RepositoryFiles.Read($"{SqlFolder}/rides_view.sql"));
        // The view's own select list is the last SELECT (the ones before it are in its WITH clauses).
        int select = sql.LastIndexOf("SELECT", StringComparison.Ordinal) + "SELECT".Length;
        var selectList = sql[select..sql.IndexOf("FROM", select, StringComparison.Ordinal)];
        var columns = selectList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(item => item.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])
            .ToList();

        Assert.Equal(RideSchema.Flat.Select(f => f.Name), columns.Take(RideSchema.Flat.Count));
    }

    [Fact]
    public void Every_ride_column_the_warehouse_SQL_names_is_a_schema_field()
    {
        var names = RideSchema.Flat.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var files = Directory.GetFiles(RepositoryFiles.PathOf(SqlFolder), "*.sql", SearchOption.AllDirectories);
        var used = files
            .SelectMany(file => RideColumnLike().Matches(WithoutComments(File.ReadAllText(file))).Select(m => (File: Path.GetFileName(file), Column: m.Value)))
            .ToList();

        Assert.All(used, u => Assert.True(names.Contains(u.Column), $"{u.File} names {u.Column}, which the ride schema does not have"));
        Assert.Subset(used.Select(u => u.Column).ToHashSet(), new HashSet<string> { RideSchema.Names.RideId, RideSchema.Names.OriginLat, RideSchema.Names.OriginLon, RideSchema.Names.PriceTotal });
    }

    private static string WithoutComments(string sql) => SqlComment().Replace(sql, "");

    [GeneratedRegex("--[^\n]*")]
    private static partial Regex SqlComment();

    /// <summary>Identifiers shaped like a ride column: the schema's prefixes followed by a suffix ("price_totl" is caught, "rides_view" is not).</summary>
    [GeneratedRegex(@"\b(?:ride|origin|destination|duration|price|distance|agent)_[a-z_]+\b")]
    private static partial Regex RideColumnLike();
}
