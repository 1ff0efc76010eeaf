using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datastream.Tests;

/// <summary>
/// Checks a Kibana saved objects NDJSON offline, against the index template its data views point at: every line is
/// one object, ids are unique, every reference resolves to an object of the file, and every field a data view, Lens
/// column or map layer uses exists in the template with a type its operation accepts. There is no Kibana here, so this
/// is the strongest check available; it refuses what it does not understand (an unknown object type, Lens operation or
/// visualization) instead of passing it unchecked.
/// </summary>
internal sealed class KibanaSavedObjectsChecker(IndexTemplateFields template)
{
    private static readonly HashSet<string> Numeric = ["double", "float", "half_float", "scaled_float", "long", "integer", "short", "byte", "unsigned_long"];
    private static readonly HashSet<string> Dates = ["date", "date_nanos"];
    private static readonly HashSet<string> Aggregatable = [.. Numeric, .. Dates, "keyword", "ip", "boolean"];
    private static readonly HashSet<string> Geo = ["geo_point", "geo_shape"];

    /// <summary>Lens operations → the field types each accepts (the Elasticsearch aggregation behind it).</summary>
    private static readonly Dictionary<string, HashSet<string>> LensOperations = new(StringComparer.Ordinal)
    {
        ["date_histogram"] = Dates,
        ["average"] = Numeric,
        ["sum"] = Numeric,
        ["min"] = [.. Numeric, .. Dates],
        ["max"] = [.. Numeric, .. Dates],
        ["median"] = Numeric,
        ["standard_deviation"] = Numeric,
        ["percentile"] = Numeric,
        ["terms"] = ["keyword", "ip", "boolean", .. Numeric],
        ["unique_count"] = Aggregatable,
        ["last_value"] = Aggregatable,
        ["count"] = Aggregatable,
    };

    /// <summary>Map layer metrics → field types (ES_GEO_GRID / ES_PEW_PEW metrics are Elasticsearch metric aggregations).</summary>
    private static readonly Dictionary<string, HashSet<string>> MapMetrics = new(StringComparer.Ordinal)
    {
        ["avg"] = Numeric,
        ["sum"] = Numeric,
        ["min"] = Numeric,
        ["max"] = Numeric,
        ["cardinality"] = Aggregatable,
        ["terms"] = ["keyword", "ip", "boolean", .. Numeric],
    };

    /// <summary>Lens "count" of documents rather than of a field's values.</summary>
    private const string RecordsField = "___records___";

    public IReadOnlyList<string> Check(string ndjson)
    {
        var problems = new List<string>();
        var objects = Parse(ndjson, problems);
        var byKey = new Dictionary<(string Type, string Id), JsonObject>();
        foreach (var o in objects)
        {
            var key = ((string)o["type"]!, (string)o["id"]!);
            if (objects.Count(other => (string)other["id"]! == key.Item2) > 1)
            {
                problems.Add($"{key.Item1} {key.Item2}: id used by more than one object");
            }

            byKey.TryAdd(key, o);
        }

        foreach (var o in objects)
        {
            string type = (string)o["type"]!;
            string id = (string)o["id"]!;
            var report = (string message) => problems.Add($"{type} {id}: {message}");
            var references = References(o, report);
            foreach (var reference in references.Values)
            {
                if (!byKey.ContainsKey((reference.Type, reference.Id)))
                {
                    report($"reference '{reference.Name}' points at {reference.Type} {reference.Id}, which is not in the file");
                }
            }

            var attributes = o["attributes"]!.AsObject();
            switch (type)
            {
                case "index-pattern":
                    CheckDataView(attributes, report);
                    break;
                case "lens":
                    CheckLens(attributes, references, report);
                    break;
                case "map":
                    CheckMap(attributes, references, report);
                    break;
                case "dashboard":
                    CheckDashboard(attributes, references, report);
                    break;
                default:
                    report($"type '{type}' is not one this checker knows how to verify");
                    break;
            }
        }

        return problems;
    }

    private static List<JsonObject> Parse(string ndjson, List<string> problems)
    {
        var objects = new List<JsonObject>();
        string[] lines = ndjson.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                if (i != lines.Length - 1)
                {
                    problems.Add($"line {i + 1}: empty line (NDJSON is one object per line)");
                }

                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException e)
            {
                problems.Add($"line {i + 1}: not JSON: {e.Message}");
                continue;
            }

            if (node is not JsonObject o || o["type"]?.GetValueKind() != JsonValueKind.String || o["id"]?.GetValueKind() != JsonValueKind.String
                || o["attributes"] is not JsonObject)
            {
                problems.Add($"line {i + 1}: not a saved object (needs string type and id, and an attributes object)");
                continue;
            }

            objects.Add(o);
        }

        if (objects.Count == 0)
        {
            problems.Add("the file holds no saved object");
        }

        return objects;
    }

    private sealed record Reference(string Name, string Type, string Id);

    private static Dictionary<string, Reference> References(JsonObject o, Action<string> report)
    {
        var references = new Dictionary<string, Reference>(StringComparer.Ordinal);
        if (o["references"] is not JsonArray array)
        {
            report("no references array");
            return references;
        }

        foreach (var node in array)
        {
            if (node is not JsonObject r || r["name"]?.GetValueKind() != JsonValueKind.String || r["type"]?.GetValueKind() != JsonValueKind.String
                || r["id"]?.GetValueKind() != JsonValueKind.String)
            {
                report("a reference lacks a string name, type or id");
                continue;
            }

            var reference = new Reference((string)r["name"]!, (string)r["type"]!, (string)r["id"]!);
            if (!references.TryAdd(reference.Name, reference))
            {
                report($"reference name '{reference.Name}' is used twice");
            }
        }

        return references;
    }

    private void CheckDataView(JsonObject attributes, Action<string> report)
    {
        string? title = Text(attributes, "title");
        if (title is null || !template.Covers(title))
        {
            report($"title '{title}' is not covered by the template's index patterns [{string.Join(", ", template.IndexPatterns)}]");
        }

        if (Text(attributes, "timeFieldName") is { } timeField)
        {
            RequireField(timeField, Dates, "time field", report);
        }
    }

    private void CheckLens(JsonObject attributes, Dictionary<string, Reference> references, Action<string> report)
    {
        if (attributes["state"]?["datasourceStates"]?["formBased"]?["layers"] is not JsonObject layers || layers.Count == 0)
        {
            report("Lens state has no formBased datasource layers (the 8.x form-based data source)");
            return;
        }

        var columnsByLayer = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (layerId, layerNode) in layers)
        {
            string refName = $"indexpattern-datasource-layer-{layerId}";
            if (!references.TryGetValue(refName, out var dataView) || dataView.Type != "index-pattern")
            {
                report($"layer '{layerId}' has no index-pattern reference named '{refName}'");
            }

            if (layerNode?["columns"] is not JsonObject columns)
            {
                report($"layer '{layerId}' has no columns");
                continue;
            }

            columnsByLayer[layerId] = [.. columns.Select(c => c.Key)];
            foreach (var (columnId, column) in columns)
            {
                CheckLensColumn(layerId, columnId, column!.AsObject(), report);
            }

            var order = layerNode["columnOrder"]?.AsArray().Select(c => (string)c!).ToHashSet() ?? [];
            if (!order.SetEquals(columns.Select(c => c.Key)))
            {
                report($"layer '{layerId}': columnOrder [{string.Join(", ", order)}] does not list exactly its columns");
            }
        }

        CheckLensAccessors(Text(attributes, "visualizationType"), attributes["state"]?["visualization"] as JsonObject, columnsByLayer, report);
    }

    private void CheckLensColumn(string layerId, string columnId, JsonObject column, Action<string> report)
    {
        string operation = Text(column, "operationType") ?? "";
        string? field = Text(column, "sourceField");
        if (!LensOperations.TryGetValue(operation, out var accepted))
        {
            report($"column '{layerId}.{columnId}': operation '{operation}' is not one this checker knows");
            return;
        }

        if (field is null)
        {
            report($"column '{layerId}.{columnId}' ({operation}) has no sourceField");
        }
        else if (!(operation == "count" && field == RecordsField))
        {
            RequireField(field, accepted, $"column '{layerId}.{columnId}' ({operation})", report);
        }

        if (operation == "terms" && column["params"]?["orderBy"] is JsonObject { } orderBy && Text(orderBy, "type") == "column"
            && Text(orderBy, "columnId") is { } orderColumn && column.Parent is JsonObject siblings && !siblings.ContainsKey(orderColumn))
        {
            report($"column '{layerId}.{columnId}' orders by column '{orderColumn}', which is not in the layer");
        }
    }

    /// <summary>Every column a chart draws must exist in its layer; an accessor to a missing column renders an empty panel.</summary>
    private static void CheckLensAccessors(string? visualizationType, JsonObject? visualization, Dictionary<string, HashSet<string>> columnsByLayer, Action<string> report)
    {
        if (visualization is null)
        {
            report("Lens state has no visualization");
            return;
        }

        var uses = new List<(string? Layer, string? Column)>();
        switch (visualizationType)
        {
            case "lnsXY":
                foreach (var layer in visualization["layers"]?.AsArray() ?? [])
                {
                    string? layerId = Text(layer!.AsObject(), "layerId");
                    uses.Add((layerId, Text(layer.AsObject(), "xAccessor")));
                    uses.AddRange((layer["accessors"]?.AsArray() ?? []).Select(a => (layerId, (string?)a)));
                    if (Text(layer.AsObject(), "splitAccessor") is { } split)
                    {
                        uses.Add((layerId, split));
                    }
                }

                break;
            case "lnsMetric":
                uses.Add((Text(visualization, "layerId"), Text(visualization, "metricAccessor")));
                uses.AddRange(new[] { "secondaryMetricAccessor", "maxAccessor", "breakdownByAccessor" }
                    .Select(a => Text(visualization, a)).Where(a => a is not null).Select(a => (Text(visualization, "layerId"), a)));
                break;
            case "lnsDatatable":
                uses.AddRange((visualization["columns"]?.AsArray() ?? []).Select(c => (Text(visualization, "layerId"), Text(c!.AsObject(), "columnId"))));
                break;
            case "lnsPie":
                foreach (var layer in visualization["layers"]?.AsArray() ?? [])
                {
                    string? layerId = Text(layer!.AsObject(), "layerId");
                    uses.AddRange((layer["primaryGroups"]?.AsArray() ?? []).Select(a => (layerId, (string?)a)));
                    uses.AddRange((layer["metrics"]?.AsArray() ?? []).Select(a => (layerId, (string?)a)));
                }

                break;
            default:
                report($"visualization type '{visualizationType}' is not one this checker knows");
                return;
        }

        if (uses.Count == 0)
        {
            report($"{visualizationType} draws no column");
        }

        foreach (var (layer, column) in uses)
        {
            if (layer is null || !columnsByLayer.TryGetValue(layer, out var columns))
            {
                report($"{visualizationType} refers to layer '{layer}', which the data source does not have");
            }
            else if (column is null || !columns.Contains(column))
            {
                report($"{visualizationType} draws column '{column}', which layer '{layer}' does not have");
            }
        }
    }

    private void CheckMap(JsonObject attributes, Dictionary<string, Reference> references, Action<string> report)
    {
        JsonArray layers;
        try
        {
            layers = JsonNode.Parse(Text(attributes, "layerListJSON") ?? "null") as JsonArray ?? throw new JsonException("not an array");
        }
        catch (JsonException e)
        {
            report($"layerListJSON is not a JSON array: {e.Message}");
            return;
        }

        int dataLayers = 0;
        foreach (var layer in layers.Select(l => l!.AsObject()))
        {
            string layerId = Text(layer, "id") ?? "?";
            if (layer["sourceDescriptor"] is not JsonObject source || Text(source, "indexPatternRefName") is not { } refName)
            {
                continue;
            }

            dataLayers++;
            if (!references.TryGetValue(refName, out var dataView) || dataView.Type != "index-pattern")
            {
                report($"map layer '{layerId}' has no index-pattern reference named '{refName}'");
            }

            if (Text(source, "geoField") is not { } geoField)
            {
                report($"map layer '{layerId}' has no geoField");
            }
            else
            {
                RequireField(geoField, Geo, $"map layer '{layerId}' geoField", report);
            }

            foreach (var metric in source["metrics"]?.AsArray().Select(m => m!.AsObject()) ?? [])
            {
                string kind = Text(metric, "type") ?? "";
                if (kind == "count")
                {
                    continue;
                }

                if (!MapMetrics.TryGetValue(kind, out var accepted))
                {
                    report($"map layer '{layerId}': metric '{kind}' is not one this checker knows");
                }
                else if (Text(metric, "field") is not { } field)
                {
                    report($"map layer '{layerId}': metric '{kind}' has no field");
                }
                else
                {
                    RequireField(field, accepted, $"map layer '{layerId}' metric {kind}", report);
                }
            }

            foreach (var field in (source["tooltipProperties"]?.AsArray() ?? []).Select(t => (string)t!).Append(Text(source, "sortField")).Where(f => !string.IsNullOrEmpty(f)))
            {
                if (!template.Types.ContainsKey(field!))
                {
                    report($"map layer '{layerId}' shows field '{field}', which the template does not map");
                }
            }
        }

        if (dataLayers == 0)
        {
            report("map has no layer reading a data view");
        }
    }

    private static void CheckDashboard(JsonObject attributes, Dictionary<string, Reference> references, Action<string> report)
    {
        JsonArray panels;
        try
        {
            panels = JsonNode.Parse(Text(attributes, "panelsJSON") ?? "null") as JsonArray ?? throw new JsonException("not an array");
        }
        catch (JsonException e)
        {
            report($"panelsJSON is not a JSON array: {e.Message}");
            return;
        }

        if (panels.Count == 0)
        {
            report("dashboard has no panels");
        }

        var indexes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in panels.Select(p => p!.AsObject()))
        {
            string index = Text(panel, "panelIndex") ?? "?";
            if (!indexes.Add(index))
            {
                report($"panelIndex '{index}' is used twice");
            }

            if (Text(panel, "panelRefName") is not { } refName)
            {
                report($"panel '{index}' is not a by-reference panel (no panelRefName); by-value panels are not checked");
                continue;
            }

            // Kibana 8 names a panel's reference "<panelIndex>:<panelRefName>".
            string name = $"{index}:{refName}";
            if (!references.TryGetValue(name, out var target))
            {
                report($"panel '{index}' has no reference named '{name}'");
            }
            else if (Text(panel, "type") is { } panelType && panelType != target.Type)
            {
                report($"panel '{index}' is a {panelType} panel but its reference points at a {target.Type}");
            }

            if (panel["gridData"] is not JsonObject grid || (int?)grid["x"] is not { } x || (int?)grid["w"] is not { } w || x < 0 || w <= 0 || x + w > 48)
            {
                report($"panel '{index}' does not fit Kibana's 48-column grid");
            }
        }
    }

    private void RequireField(string field, HashSet<string> accepted, string usedBy, Action<string> report)
    {
        if (!template.Types.TryGetValue(field, out var type))
        {
            report($"{usedBy} uses field '{field}', which the template does not map");
        }
        else if (!accepted.Contains(type))
        {
            report($"{usedBy} uses field '{field}' of type {type}; it needs one of {string.Join(", ", accepted.Order())}");
        }
    }

    private static string? Text(JsonObject o, string name) => o[name]?.GetValueKind() == JsonValueKind.String ? (string)o[name]! : null;
}
