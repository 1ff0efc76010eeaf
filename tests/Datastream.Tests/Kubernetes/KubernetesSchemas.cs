using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Datastream.Tests.Kubernetes;

/// <summary>
/// The schema of every kind the manifests use (Kubernetes/Schemas, see its README for where each comes from), made
/// strict as `kubectl apply` is by default (field validation "Strict"): an object with declared properties takes no
/// other one, unless the schema says it keeps unknown fields. Required fields, types and enums are the schemas' own.
/// </summary>
internal static class KubernetesSchemas
{
    private static readonly Dictionary<(string ApiVersion, string Kind), string> Files = new()
    {
        [("apps/v1", "Deployment")] = "deployment-apps-v1.json",
        [("v1", "Service")] = "service-v1.json",
        [("v1", "ConfigMap")] = "configmap-v1.json",
        [("v1", "Secret")] = "secret-v1.json",
        [("keda.sh/v1alpha1", "ScaledObject")] = "scaledobject-keda.sh-v1alpha1.json",
        [("monitoring.coreos.com/v1", "PodMonitor")] = "podmonitor-monitoring.coreos.com-v1.json",
    };

    private static readonly Lazy<Dictionary<(string, string), JsonSchema>> Schemas = new(Load);

    /// <summary>The kinds a schema is known for.</summary>
    public static IReadOnlyCollection<(string ApiVersion, string Kind)> Kinds => Files.Keys;

    /// <summary>"KIND NAME: LOCATION: ERROR" for every violation; empty when the object is valid.</summary>
    public static List<string> Violations(JsonObject manifest)
    {
        string apiVersion = manifest["apiVersion"]?.GetValue<string>() ?? "";
        string kind = manifest["kind"]?.GetValue<string>() ?? "";
        string name = manifest["metadata"]?["name"]?.GetValue<string>() ?? "(no name)";
        if (!Schemas.Value.TryGetValue((apiVersion, kind), out var schema))
        {
            return [$"{kind} {name}: no schema for apiVersion '{apiVersion}', kind '{kind}'"];
        }

        using var document = JsonDocument.Parse(manifest.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var violations = new List<string>();
        Collect(result, $"{kind} {name}", violations);
        return violations.Distinct().ToList();
    }

    /// <summary>
    /// The errors of the failed nodes under a failed node only: a oneOf that passed has failed branches (an IntOrString
    /// port given as a name fails the integer branch), and those are no violation.
    /// </summary>
    private static void Collect(EvaluationResults node, string subject, List<string> violations)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (_, error) in node.Errors ?? [])
        {
            violations.Add($"{subject}: {node.InstanceLocation}: {error}");
        }

        foreach (var child in node.Details ?? [])
        {
            Collect(child, subject, violations);
        }

        if (violations.Count == 0 && node.Parent is null)
        {
            violations.Add($"{subject}: does not match its schema");
        }
    }

    private static Dictionary<(string, string), JsonSchema> Load()
    {
        // Draft 7, the closest JsonSchema.Net has to the draft-4 subset OpenAPI and CRD schemas are written in; it takes
        // the x-kubernetes-* extensions as annotations. Each schema in a registry of its own: they share no references.
        return Files.ToDictionary(
            entry => entry.Key,
            entry =>
            {
                string path = RepositoryFiles.PathOf($"tests/Datastream.Tests/Kubernetes/Schemas/{entry.Value}");
                var schema = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                Strict(schema);
                return JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft07 }, new Uri($"https://datastream.test/schemas/{entry.Value}"));
            });
    }

    /// <summary>additionalProperties: false wherever an object declares its properties and does not keep unknown fields.</summary>
    private static void Strict(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return;
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                Strict(property);
            }

            bool keepsUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
            if (!schema.ContainsKey("additionalProperties") && !keepsUnknown)
            {
                schema["additionalProperties"] = false;
            }
        }

        // Combinator branches (allOf, oneOf...) are left as they are: a branch that names some properties only to
        // require them would refuse the others.
        Strict(schema["additionalProperties"]);
        Strict(schema["items"]);
    }
}
