using System.Text.Json.Nodes;

namespace Datastream.Tests;

/// <summary>The field → Elasticsearch type map of an index template (deploy/elasticsearch/rides-template.json), and the index patterns it covers.</summary>
internal sealed record IndexTemplateFields(IReadOnlyDictionary<string, string> Types, IReadOnlyList<string> IndexPatterns)
{
    public static IndexTemplateFields Rides { get; } = Parse(RepositoryFiles.Read("deploy/elasticsearch/rides-template.json"));

    public static IndexTemplateFields Parse(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var properties = root["template"]!["mappings"]!["properties"]!.AsObject();
        var types = properties.ToDictionary(p => p.Key, p => (string)p.Value!["type"]!, StringComparer.Ordinal);
        var patterns = root["index_patterns"]!.AsArray().Select(p => (string)p!).ToList();
        return new IndexTemplateFields(types, patterns);
    }

    /// <summary>Whether an index pattern title such as "rides*" only matches indices this template applies to.</summary>
    public bool Covers(string title) => title.Split(',').All(part => IndexPatterns.Any(p => Glob(p, part.Trim())));

    private static bool Glob(string templatePattern, string title)
        => templatePattern.EndsWith('*') ? title.StartsWith(templatePattern[..^1], StringComparison.Ordinal) : templatePattern == title;
}
