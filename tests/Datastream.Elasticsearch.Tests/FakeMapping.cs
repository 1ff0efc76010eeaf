using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datastream.Elasticsearch.Tests;

/// <summary>
/// The mapping an index got from the highest-priority template matching its name when it was created (none: dynamic,
/// anything goes). Checks documents as Elasticsearch would for the types the rides template uses, and tells the
/// search evaluation which fields are dates.
/// </summary>
internal sealed class FakeMapping
{
    private readonly Dictionary<string, string> _types;
    private readonly bool _strict;

    private FakeMapping(Dictionary<string, string> types, bool strict) => (this._types, this._strict) = (types, strict);

    public static FakeMapping For(string index, IEnumerable<JsonObject> templates)
    {
        var template = templates
            .Where(t => t["index_patterns"]!.AsArray().Any(p => Matches(p!.GetValue<string>(), index)))
            .OrderByDescending(t => t["priority"]?.GetValue<int>() ?? 0)
            .FirstOrDefault();
        var mappings = template?["template"]?["mappings"];
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mappings?["properties"] is JsonObject properties)
        {
            foreach (var (name, definition) in properties)
            {
                types[name] = definition!["type"]!.GetValue<string>();
            }
        }

        return new FakeMapping(types, mappings?["dynamic"]?.GetValue<string>() == "strict");
    }

    public string? TypeOf(string field) => _types.GetValueOrDefault(field);

    /// <summary>The error Elasticsearch would give the document, or null when it is stored.</summary>
    public (string Type, string Reason)? Check(JsonObject source)
    {
        foreach (var (name, value) in source)
        {
            if (!_types.TryGetValue(name, out string? type))
            {
                if (_strict)
                {
                    return ("strict_dynamic_mapping_exception", $"[1:2] mapping set to strict, dynamic introduction of [{name}] within [_doc] is not allowed");
                }

                continue;
            }

            bool valid = type switch
            {
                "keyword" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
                "double" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
                "date" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String && ParseDate(v.GetValue<string>()) is not null,
                "geo_point" => value is JsonObject point && point.Count == 2
                    && point["lat"] is JsonValue lat && lat.GetValueKind() == JsonValueKind.Number && Math.Abs(lat.GetValue<double>()) <= 90
                    && point["lon"] is JsonValue lon && lon.GetValueKind() == JsonValueKind.Number && Math.Abs(lon.GetValue<double>()) <= 180,
                _ => throw new NotSupportedException($"the fake does not know mapping type {type}"),
            };
            if (!valid)
            {
                return ("document_parsing_exception", $"[1:2] failed to parse field [{name}] of type [{type}] in document");
            }
        }

        return null;
    }

    /// <summary>strict_date_optional_time as the adapter writes it: an explicit Z or offset is required.</summary>
    public static DateTimeOffset? ParseDate(string text) =>
        (text.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 10)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    private static bool Matches(string pattern, string name) =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : name == pattern;
}
