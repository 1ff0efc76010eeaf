using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Datastream.Tests;

/// <summary>
/// infra/docker-compose.yml read as Docker Compose reads it (YAML with anchors and merge keys; no Docker engine runs
/// here): the services the distributed stack needs, pinned images, Datastream services configured only with variables
/// Datastream reads, and start-up ordering that waits for what each service uses.
/// </summary>
public sealed partial class ComposeFileTests
{
    private const string DatastreamImage = "datastream:local";

    // Declared first: static fields initialize in textual order, and Services reads the document.
    private static readonly Dictionary<object, object> RootDocument = Load();

    private static readonly Dictionary<string, object?> Services = LoadServices();

    [Fact]
    public void TheStack_HasKafkaElasticsearchKibanaAndEveryDatastreamRole()
    {
        Assert.Superset(
            new HashSet<string> { "kafka-1", "kafka-2", "kafka-3", "elasticsearch", "kibana", "topics", "kibana-setup", "producer", "compute-cost", "index-and-export", "web", "prometheus" },
            Services.Keys.ToHashSet());
        Assert.Equal(["pipeline", "compute-cost", "--urls", "http://0.0.0.0:9464"], Command("compute-cost"));
        Assert.Equal(["pipeline", "index-and-export", "--urls", "http://0.0.0.0:9464"], Command("index-and-export"));
        Assert.Equal("produce", Command("producer")[0]);
        Assert.Equal(["kibana", "import", "--url", "http://kibana:5601"], Command("kibana-setup"));
    }

    [Fact]
    public void EveryImage_IsPinnedToAVersion()
    {
        foreach (var (name, _) in Services)
        {
            string image = Text(Service(name), "image") ?? throw new Xunit.Sdk.XunitException($"service {name} has no image");
            if (image == DatastreamImage)
            {
                var build = Map(Service(name), "build");
                string dockerfile = Path.GetFullPath(Path.Combine(RepositoryFiles.PathOf("infra"), Text(build, "context")!, Text(build, "dockerfile")!));
                Assert.True(File.Exists(dockerfile), $"service {name} builds from {dockerfile}, which does not exist");
                continue;
            }

            Assert.Matches(PinnedImage(), image);
        }
    }

    [Fact]
    public void ElasticsearchAndKibana_Are9x_OfTheSameVersion_OnASingleNode()
    {
        string es = Text(Service("elasticsearch"), "image")!;
        string kibana = Text(Service("kibana"), "image")!;
        // 9.x: the major of the .NET client the engine uses (an Elasticsearch 8 refuses its compatible-with=9 requests).
        Assert.StartsWith("docker.elastic.co/elasticsearch/elasticsearch:9.", es, StringComparison.Ordinal);
        Assert.Equal(es.Split(':')[1], kibana.Split(':')[1]);
        Assert.Equal("single-node", Text(Map(Service("elasticsearch"), "environment"), "discovery.type"));
        Assert.Equal("[\"http://elasticsearch:9200\"]", Text(Map(Service("kibana"), "environment"), "ELASTICSEARCH_HOSTS"));
    }

    [Fact]
    public void DatastreamServices_SetOnlyVariablesDatastreamReads()
    {
        var documented = EnvExampleTests.DocumentedVariables();
        foreach (string name in DatastreamServices())
        {
            foreach (string variable in Environment(name).Keys)
            {
                Assert.True(documented.Contains(variable), $"service {name} sets {variable}, which .env.example does not list as a variable Datastream reads");
            }
        }
    }

    [Fact]
    public void LongRunningDatastreamServices_UseKafkaElasticsearchAndKafkaLogging()
    {
        foreach (string name in DatastreamServices().Where(n => n != "kibana-setup"))
        {
            var environment = Environment(name);
            Assert.Equal("kafka", environment.GetValueOrDefault("DATASTREAM_LOG"));
            Assert.Equal("elasticsearch", environment.GetValueOrDefault("DATASTREAM_INDEX"));
            Assert.Equal("http://elasticsearch:9200", environment.GetValueOrDefault("ELASTICSEARCH_URL"));
            Assert.Equal("kafka-1:19092,kafka-2:19092,kafka-3:19092", environment.GetValueOrDefault("KAFKA_BOOTSTRAP_SERVERS"));
        }
    }

    [Fact]
    public void TheWebApp_ListensOnAllInterfacesOn8080_WithTheAdminToken()
    {
        // `serve`, not `run`: run would add a producer and pipelines of its own next to the services above.
        Assert.Equal(["serve", "--urls", "http://0.0.0.0:8080"], Command("web"));
        Assert.Contains("8080:8080", List(Service("web"), "ports"));
    }

    [Fact]
    public void EveryPublishedPortButTheWebApps_IsBoundToLoopback()
    {
        // Plaintext Kafka, Kafka UI (no auth), Elasticsearch and Kibana (security off), Prometheus: reachable from this
        // host only. The web app alone is published on every interface, behind its admin token.
        var published = Services.Keys.SelectMany(name => List(Service(name), "ports").Select(port => (name, port))).ToList();
        Assert.NotEmpty(published);
        foreach (var (name, port) in published)
        {
            if (name == "web")
            {
                continue;
            }

            Assert.True(port.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"service {name} publishes {port} on every interface");
        }
    }

    [Fact]
    public void EveryServiceListeningBeyondLoopback_HasTheAdminToken()
    {
        foreach (string name in DatastreamServices().Where(n => Command(n).Contains("--urls")))
        {
            var environment = Environment(name);
            Assert.True(environment.ContainsKey("DATASTREAM_ADMIN_TOKEN") || environment.ContainsKey("DATASTREAM_ADMIN_TOKEN_FILE"),
                $"{name} listens beyond loopback: its state-changing endpoints need DATASTREAM_ADMIN_TOKEN or DATASTREAM_ADMIN_TOKEN_FILE");
            if (environment.GetValueOrDefault("DATASTREAM_ADMIN_TOKEN_FILE") is { } tokenFile)
            {
                string secret = Path.GetFileName(tokenFile);
                Assert.Contains(secret, List(Service(name), "secrets"));
                Assert.NotNull(Map(Map(Root(), "secrets"), secret));
            }
        }
    }

    [Fact]
    public void Dependencies_ExistAndWaitForAConditionTheTargetCanMeet()
    {
        foreach (var (name, _) in Services)
        {
            foreach (var (target, condition) in DependsOn(name))
            {
                Assert.True(Services.ContainsKey(target), $"{name} depends on {target}, which is not a service");
                switch (condition)
                {
                    case "service_healthy":
                        Assert.True(Map(Service(target), "healthcheck") is not null, $"{name} waits for {target} to be healthy, but {target} has no healthcheck");
                        break;
                    case "service_completed_successfully":
                        // A one-shot job: it exits, and is restarted only if it failed.
                        Assert.True(Text(Service(target), "restart") is "on-failure" or "no", $"{name} waits for {target} to complete, but {target} is not a one-shot job");
                        break;
                    default:
                        Assert.Fail($"{name} depends on {target} with condition '{condition}': use service_healthy or service_completed_successfully so it waits for readiness, not for a container start");
                        break;
                }
            }
        }
    }

    [Fact]
    public void EveryServiceThatUsesKafkaElasticsearchOrKibana_WaitsForItToBeHealthy()
    {
        foreach (string name in DatastreamServices())
        {
            var environment = Environment(name);
            var healthy = HealthyBefore(name);
            if (environment.GetValueOrDefault("DATASTREAM_LOG") == "kafka")
            {
                Assert.Superset(new HashSet<string> { "kafka-1", "kafka-2", "kafka-3" }, healthy);
            }

            // The index is written by index-and-export and read by the web app; compute-cost and the producer never open it.
            var command = Command(name);
            bool usesIndex = command is ["pipeline", "index-and-export", ..] or ["run", ..] or ["serve", ..];
            if (environment.GetValueOrDefault("DATASTREAM_INDEX") == "elasticsearch" && usesIndex)
            {
                Assert.True(healthy.Contains("elasticsearch"), $"{name} uses Elasticsearch but does not wait for it to be healthy");
            }
        }

        Assert.Contains("kibana", HealthyBefore("kibana-setup"));
        Assert.Contains("elasticsearch", HealthyBefore("kibana"));
    }

    [Fact]
    public void Volumes_AreDeclared()
    {
        var declared = Map(Root(), "volumes")!.Keys.Select(k => (string)k).ToHashSet();
        foreach (var (name, _) in Services)
        {
            foreach (string volume in List(Service(name), "volumes"))
            {
                string source = volume.Split(':')[0];
                Assert.True(declared.Contains(source) || source.StartsWith('.') || source.StartsWith('/'), $"{name} mounts volume {source}, which is not declared");
            }
        }
    }

    /// <summary>registry/name:version with a digit in the tag: neither "latest" nor a missing tag.</summary>
    [GeneratedRegex(@"^[a-z0-9./_-]+:v?[0-9]+(\.[0-9]+)*[a-zA-Z0-9._-]*$")]
    private static partial Regex PinnedImage();

    private static IEnumerable<string> DatastreamServices() => Services.Keys.Where(n => Text(Service(n), "image") == DatastreamImage);

    /// <summary>Every service that must be healthy before this one starts, following completed-successfully jobs too.</summary>
    private static HashSet<string> HealthyBefore(string name)
    {
        var healthy = new HashSet<string>();
        var pending = new Stack<string>([name]);
        var seen = new HashSet<string>();
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            foreach (var (target, condition) in DependsOn(current))
            {
                if (condition == "service_healthy")
                {
                    healthy.Add(target);
                }

                pending.Push(target);
            }
        }

        return healthy;
    }

    private static IEnumerable<(string Target, string Condition)> DependsOn(string name)
    {
        var service = Service(name);
        if (!service.TryGetValue("depends_on", out var dependsOn) || dependsOn is null)
        {
            return [];
        }

        // The short list form means "started", which waits for nothing.
        return dependsOn is List<object> list
            ? list.Select(t => ((string)t, "service_started"))
            : ((Dictionary<object, object>)dependsOn).Select(d => ((string)d.Key, Text((Dictionary<object, object>)d.Value, "condition") ?? "service_started"));
    }

    private static Dictionary<string, string> Environment(string name)
    {
        var environment = Service(name).GetValueOrDefault("environment");
        return environment switch
        {
            null => [],
            Dictionary<object, object> map => map.ToDictionary(e => (string)e.Key, e => (string)e.Value),
            List<object> list => list.Select(e => ((string)e).Split('=', 2)).ToDictionary(e => e[0], e => e.Length > 1 ? e[1] : ""),
            _ => throw new Xunit.Sdk.XunitException($"service {name}: environment is neither a map nor a list"),
        };
    }

    private static List<string> Command(string name) => List(Service(name), "command");

    private static Dictionary<object, object> Root() => RootDocument;

    private static Dictionary<string, object> Service(string name) => ((Dictionary<object, object>)Services[name]!).ToDictionary(e => (string)e.Key, e => e.Value);

    private static Dictionary<object, object>? Map(IDictionary<object, object>? parent, string key)
        => parent is not null && parent.TryGetValue(key, out var value) ? value as Dictionary<object, object> : null;

    private static Dictionary<object, object>? Map(Dictionary<string, object> parent, string key)
        => parent.TryGetValue(key, out var value) ? value as Dictionary<object, object> : null;

    private static string? Text(IDictionary<object, object>? parent, string key) => parent is not null && parent.TryGetValue(key, out var value) ? value as string : null;

    private static string? Text(Dictionary<string, object> parent, string key) => parent.TryGetValue(key, out var value) ? value as string : null;

    private static List<string> List(Dictionary<string, object> parent, string key)
        => parent.TryGetValue(key, out var value) && value is List<object> list ? list.Select(v => (string)v).ToList() : [];

    private static Dictionary<object, object> Load()
    {
        using var reader = new StringReader(RepositoryFiles.Read("infra/docker-compose.yml"));
        // MergingParser applies "<<: *anchor" merge keys, as Docker Compose does.
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<string, object?> LoadServices()
        => ((Dictionary<object, object>)RootDocument["services"]).ToDictionary(e => (string)e.Key, e => (object?)e.Value);
}
