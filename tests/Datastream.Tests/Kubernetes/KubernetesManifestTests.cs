using System.Text.Json.Nodes;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;
using static Datastream.Tests.Kubernetes.RenderedManifests;

namespace Datastream.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes rendered offline by `kubectl kustomize` (no cluster runs here): every object matches its schema,
/// and the objects agree with what Datastream does: the commands the CLI has, the endpoints they serve, the variables
/// .env.example lists, the consumer groups and topics the pipelines use, the partitions that bound their replicas.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const string Base = "deploy/kubernetes/base";
    private const string Keda = "deploy/kubernetes/overlays/keda";
    private const string SecretName = "datastream-secrets";
    private const string SecretMount = "/run/secrets/";

    /// <summary>Variables whose value is a secret: only their *_FILE form may be in the ConfigMap.</summary>
    private static readonly string[] SecretVariables =
        ["DATASTREAM_ADMIN_TOKEN", "ELASTICSEARCH_API_KEY", "ELASTICSEARCH_PASSWORD", "KAFKA_SASL_PASSWORD", "KIBANA_API_KEY", "KIBANA_PASSWORD"];

    [Theory]
    [InlineData(Base)]
    [InlineData(Keda)]
    public async Task EveryRenderedObject_MatchesItsSchema(string directory)
    {
        var rendered = await RenderedManifests.RenderAsync(directory);

        Assert.NotEmpty(rendered.Objects);
        var violations = rendered.Objects.SelectMany(KubernetesSchemas.Violations).ToList();
        Assert.True(violations.Count == 0, $"{directory}:\n" + string.Join('\n', violations));
    }

    [Fact]
    public async Task TheBase_RunsTheWebAppAndBothPipelines_WithAServiceForTheWebApp()
    {
        var rendered = await RenderedManifests.RenderAsync(Base);

        Assert.Equal(["compute-cost", "index-and-export", "web"], rendered.OfKind("Deployment").Select(d => Text(d, "metadata", "name")!).Order());
        // `serve`, not `run`: run would start a producer and pipelines of its own beside the Deployments.
        Assert.Equal(["serve", "--urls", "http://0.0.0.0:8080"], Args(rendered.Single("Deployment", "web")));
        Assert.Equal(["pipeline", "compute-cost", "--urls", "http://0.0.0.0:9464"], Args(rendered.Single("Deployment", "compute-cost")));
        Assert.Equal(["pipeline", "index-and-export", "--urls", "http://0.0.0.0:9464"], Args(rendered.Single("Deployment", "index-and-export")));

        var web = rendered.Single("Deployment", "web");
        var service = rendered.Single("Service", "web");
        var selector = service["spec"]!["selector"]!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>());
        Assert.Subset(PodLabels(web).ToHashSet(), selector.ToHashSet());
        foreach (var deployment in rendered.OfKind("Deployment").Where(d => d != web))
        {
            Assert.False(selector.All(s => PodLabels(deployment).Contains(s)), $"the web Service also selects {Text(deployment, "metadata", "name")}");
        }

        string targetPort = Assert.Single(service["spec"]!["ports"]!.AsArray())!["targetPort"]!.GetValue<string>();
        Assert.Contains(Container(web)["ports"]!.AsArray(), p => Text(p, "name") == targetPort);
    }

    /// <summary>Each container listens where its --urls says, and is probed there on /healthz and /readyz, which it serves.</summary>
    [Fact]
    public async Task EveryContainer_IsProbedOnTheHealthEndpointsOfItsOwnUrls_AndHasRequestsAndLimits()
    {
        var rendered = await RenderedManifests.RenderAsync(Base);

        foreach (var deployment in rendered.OfKind("Deployment"))
        {
            string name = Text(deployment, "metadata", "name")!;
            var container = Container(deployment);
            var args = Args(deployment);
            int listens = new Uri(args[args.IndexOf("--urls") + 1]).Port;
            var ports = container["ports"]!.AsArray().ToDictionary(p => Text(p, "name")!, p => p!["containerPort"]!.GetValue<long>());
            Assert.Contains(listens, ports.Values);

            foreach (var (probe, path) in new[] { ("startupProbe", "/healthz"), ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz") })
            {
                var httpGet = container[probe]?["httpGet"] ?? throw new Xunit.Sdk.XunitException($"{name} has no {probe}");
                Assert.Equal(path, Text(httpGet, "path"));
                Assert.True(ports.TryGetValue(Text(httpGet, "port")!, out long port) && port == listens, $"{name}'s {probe} is not on port {listens}");
            }

            foreach (string bound in (string[])["requests", "limits"])
            {
                var resources = container["resources"]?[bound]?.AsObject();
                Assert.True(resources is not null && resources.ContainsKey("cpu") && resources.ContainsKey("memory"), $"{name} has no cpu and memory {bound}");
            }
        }
    }

    /// <summary>datastream.env holds the variables of .env.example (its defaults at least) and no secret value.</summary>
    [Fact]
    public async Task TheConfigMap_HasTheKeysOfEnvExample_AndNoSecret()
    {
        var rendered = await RenderedManifests.RenderAsync(Base);
        var config = rendered.Config;

        var documented = EnvExampleTests.DocumentedVariables();
        var unknown = config.Keys.Where(k => !documented.Contains(k)).Order().ToList();
        Assert.True(unknown.Count == 0, "the ConfigMap has keys .env.example does not list: " + string.Join(", ", unknown));
        var missing = EnvExampleDefaults().Where(k => !config.ContainsKey(k)).Order().ToList();
        Assert.True(missing.Count == 0, "the ConfigMap lacks keys .env.example sets: " + string.Join(", ", missing));
        Assert.DoesNotContain(config.Keys, SecretVariables.Contains);
    }

    /// <summary>Every container reads the ConfigMap and mounts the Secret where the *_FILE variables point.</summary>
    [Fact]
    public async Task EveryContainer_ReadsTheConfigMap_AndFindsEverySecretFileInTheSecret()
    {
        var rendered = await RenderedManifests.RenderAsync(Base);
        var config = rendered.Config;
        var secretFiles = config.Where(e => e.Key.EndsWith("_FILE", StringComparison.Ordinal) || e.Key == "GOOGLE_APPLICATION_CREDENTIALS").ToList();
        Assert.Contains(secretFiles, e => e.Key == "DATASTREAM_ADMIN_TOKEN_FILE");

        var example = YamlDocuments.Parse(RepositoryFiles.Read("deploy/kubernetes/datastream-secrets.example.yaml"));
        var secret = Assert.Single(example);
        Assert.Empty(KubernetesSchemas.Violations(secret));
        Assert.Equal(SecretName, Text(secret, "metadata", "name"));
        var keys = secret["stringData"]!.AsObject().Select(e => e.Key).ToHashSet();
        foreach (var (variable, path) in secretFiles)
        {
            Assert.True(path.StartsWith(SecretMount, StringComparison.Ordinal), $"{variable}={path} is not under {SecretMount}");
            Assert.True(keys.Contains(path[SecretMount.Length..]), $"{variable}={path}: the Secret example has no key {path[SecretMount.Length..]}");
        }

        foreach (var deployment in rendered.OfKind("Deployment"))
        {
            string name = Text(deployment, "metadata", "name")!;
            var container = Container(deployment);
            Assert.Contains(container["envFrom"]!.AsArray(), e => Text(e, "configMapRef", "name") == rendered.ConfigMapName);
            string volume = Text(Assert.Single(PodSpec(deployment)["volumes"]!.AsArray(), v => Text(v, "secret", "secretName") == SecretName), "name")!;
            Assert.True(container["volumeMounts"]!.AsArray().Any(m => Text(m, "name") == volume && Text(m, "mountPath") + "/" == SecretMount), $"{name} does not mount {SecretName} at {SecretMount}");
        }
    }

    /// <summary>
    /// A ScaledObject per pipeline on the lag of the group that pipeline joins, on the topic it reads, at the brokers it
    /// uses; at most as many replicas as partitions; a threshold above the lag a healthy replica holds by design.
    /// </summary>
    [Fact]
    public async Task EachPipeline_ScalesOnItsConsumerGroupsLag_UpToThePartitions()
    {
        var rendered = await RenderedManifests.RenderAsync(Keda);
        var config = rendered.Config;
        int partitions = int.Parse(config["DATASTREAM__Log__Partitions"], System.Globalization.CultureInfo.InvariantCulture);

        var pipelines = new[]
        {
            (Name: "compute-cost", new ComputeCostSettings().Group, Topic: config["RAW_TOPIC"], HeldByDesign: long.Parse(config["DATASTREAM__ComputeCost__BatchSize"], System.Globalization.CultureInfo.InvariantCulture)),
            (Name: "index-and-export", new IndexAndExportSettings().Group, Topic: config["RESULT_TOPIC"], HeldByDesign: long.Parse(config["DATASTREAM__Lake__MaxRowsPerFile"], System.Globalization.CultureInfo.InvariantCulture)),
        };
        Assert.Equal(pipelines.Select(p => p.Name).Order(), rendered.OfKind("ScaledObject").Select(s => Text(s, "metadata", "name")!).Order());
        foreach (var (name, group, topic, heldByDesign) in pipelines)
        {
            var scaled = rendered.Single("ScaledObject", name);
            Assert.Equal(name, Text(scaled, "spec", "scaleTargetRef", "name"));
            var deployment = rendered.Single("Deployment", name);
            Assert.False(deployment["spec"]!.AsObject().ContainsKey("replicas"), $"{name}: KEDA owns the replicas, the Deployment must not set them");
            Assert.Equal(partitions, scaled["spec"]!["maxReplicaCount"]!.GetValue<long>());

            var trigger = Assert.Single(scaled["spec"]!["triggers"]!.AsArray())!;
            Assert.Equal("kafka", Text(trigger, "type"));
            Assert.Equal(config["KAFKA_BOOTSTRAP_SERVERS"], Text(trigger, "metadata", "bootstrapServers"));
            Assert.Equal(group, Text(trigger, "metadata", "consumerGroup"));
            Assert.Equal(topic, Text(trigger, "metadata", "topic"));
            long threshold = long.Parse(Text(trigger, "metadata", "lagThreshold")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(threshold > heldByDesign, $"{name}: lagThreshold {threshold} would scale on the {heldByDesign} records a replica holds before it commits");
        }
    }

    [Fact]
    public async Task ThePodMonitor_ScrapesTheMetricsPortOfEveryPipelinePod_AndNothingElse()
    {
        var rendered = await RenderedManifests.RenderAsync(Keda);
        var monitor = Assert.Single(rendered.OfKind("PodMonitor"));
        var endpoint = Assert.Single(monitor["spec"]!["podMetricsEndpoints"]!.AsArray())!;
        Assert.Equal("/metrics", Text(endpoint, "path"));

        foreach (var deployment in rendered.OfKind("Deployment"))
        {
            string name = Text(deployment, "metadata", "name")!;
            bool pipeline = Args(deployment)[0] == "pipeline";
            Assert.True(Selects(monitor["spec"]!["selector"]!, PodLabels(deployment)) == pipeline, $"the PodMonitor {(pipeline ? "misses" : "selects")} {name}");
            if (pipeline)
            {
                Assert.Contains(Container(deployment)["ports"]!.AsArray(), p => Text(p, "name") == Text(endpoint, "port"));
            }
        }
    }

    private static List<string> Args(JsonObject deployment) => Container(deployment)["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

    /// <summary>A label selector's matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) over a pod's labels.</summary>
    private static bool Selects(JsonNode selector, Dictionary<string, string> labels)
    {
        bool byLabels = selector["matchLabels"]?.AsObject().All(e => labels.GetValueOrDefault(e.Key) == e.Value!.GetValue<string>()) ?? true;
        bool byExpressions = selector["matchExpressions"]?.AsArray().All(e =>
        {
            string key = Text(e, "key")!;
            var values = e!["values"]?.AsArray().Select(v => v!.GetValue<string>()).ToList() ?? [];
            return Text(e, "operator") switch
            {
                "In" => labels.TryGetValue(key, out var v) && values.Contains(v),
                "NotIn" => !labels.TryGetValue(key, out var v) || !values.Contains(v),
                "Exists" => labels.ContainsKey(key),
                "DoesNotExist" => !labels.ContainsKey(key),
                var other => throw new Xunit.Sdk.XunitException($"unknown selector operator {other}"),
            };
        }) ?? true;
        return byLabels && byExpressions;
    }

    /// <summary>The variables .env.example sets (uncommented lines).</summary>
    private static IEnumerable<string> EnvExampleDefaults()
        => RepositoryFiles.Read(".env.example").Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
            .Select(l => l[..l.IndexOf('=')].Trim());
}
