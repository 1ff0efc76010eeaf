using System.Text.Json.Nodes;

namespace Datastream.Tests.Kubernetes;

/// <summary>Lookups over the objects `kubectl kustomize` rendered: by kind and name, and the fields the tests read.</summary>
internal sealed class RenderedManifests(List<JsonObject> objects)
{
    public List<JsonObject> Objects { get; } = objects;

    public static async Task<RenderedManifests> RenderAsync(string directory) => new(await Kustomize.RenderAsync(directory));

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Text(o, "kind") == kind);

    public JsonObject Single(string kind, string name)
        => Assert.Single(OfKind(kind), o => Text(o, "metadata", "name") == name);

    /// <summary>The one ConfigMap's data (its generated name carries a hash suffix).</summary>
    public Dictionary<string, string> Config
        => Assert.Single(OfKind("ConfigMap"))["data"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());

    public string ConfigMapName => Text(Assert.Single(OfKind("ConfigMap")), "metadata", "name")!;

    public static JsonObject PodSpec(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!.AsObject();

    public static JsonObject Container(JsonObject deployment) => Assert.Single(PodSpec(deployment)["containers"]!.AsArray())!.AsObject();

    public static Dictionary<string, string> PodLabels(JsonObject deployment)
        => deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());

    public static string? Text(JsonNode? node, params string[] path)
    {
        foreach (string key in path)
        {
            node = node?[key];
        }

        return node?.GetValue<string>();
    }
}
