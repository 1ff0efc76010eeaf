namespace Datastream.Tests.Kubernetes;

/// <summary>
/// The schema check refuses what `kubectl apply` would: unknown fields, missing required fields, wrong types, on the
/// built-in kinds and on the CRDs alike; and a kind it has no schema for. Each broken object is one edit away from a
/// valid one, which passes, so each refusal is for that edit.
/// </summary>
public sealed class KubernetesSchemaTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: probe
        spec:
          replicas: 2
          selector:
            matchLabels: {app: probe}
          template:
            metadata:
              labels: {app: probe}
            spec:
              containers:
                - name: probe
                  image: datastream
                  ports:
                    - {name: metrics, containerPort: 9464}
                  livenessProbe:
                    httpGet: {path: /healthz, port: metrics}
                  resources:
                    limits: {cpu: "2", memory: 512Mi}
        """;

    private const string ScaledObject = """
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata:
          name: probe
        spec:
          scaleTargetRef:
            name: probe
          maxReplicaCount: 6
          triggers:
            - type: kafka
              metadata:
                bootstrapServers: kafka:9092
                consumerGroup: compute-cost
                topic: rides_raw
                lagThreshold: "50000"
        """;

    private const string PodMonitor = """
        apiVersion: monitoring.coreos.com/v1
        kind: PodMonitor
        metadata:
          name: probe
        spec:
          selector:
            matchLabels: {app: probe}
          podMetricsEndpoints:
            - port: metrics
              path: /metrics
        """;

    [Theory]
    [InlineData(Deployment)]
    [InlineData(ScaledObject)]
    [InlineData(PodMonitor)]
    public void TheUnbrokenObjects_AreValid(string yaml) => Assert.Empty(Violations(yaml));

    [Theory]
    // An unknown field, at the top of the spec and deep in the pod template.
    [InlineData(Deployment, "  replicas: 2", "  replicaCount: 2", "/spec/replicaCount")]
    [InlineData(Deployment, "httpGet: {path: /healthz, port: metrics}", "httpGet: {path: /healthz, port: metrics, timeout: 5}", "/spec/template/spec/containers/0/livenessProbe/httpGet/timeout")]
    // A required field missing: the container's name, the probe's port.
    [InlineData(Deployment, "- name: probe\n          image: datastream", "- image: datastream", "/spec/template/spec/containers/0")]
    [InlineData(Deployment, "httpGet: {path: /healthz, port: metrics}", "httpGet: {path: /healthz}", "/spec/template/spec/containers/0/livenessProbe/httpGet")]
    // A wrong type: replicas as a string, a port neither a number nor a name.
    [InlineData(Deployment, "  replicas: 2", "  replicas: \"2\"", "/spec/replicas")]
    [InlineData(Deployment, "containerPort: 9464", "containerPort: [9464]", "/spec/template/spec/containers/0/ports/0/containerPort")]
    // The CRDs: a misspelt field, a missing required one, a wrong type.
    [InlineData(ScaledObject, "  maxReplicaCount: 6", "  maxReplicas: 6", "/spec/maxReplicas")]
    [InlineData(ScaledObject, "  scaleTargetRef:\n    name: probe\n", "", "/spec")]
    [InlineData(ScaledObject, "lagThreshold: \"50000\"", "lagThreshold: 50000", "/spec/triggers/0/metadata/lagThreshold")]
    [InlineData(PodMonitor, "    - port: metrics", "    - portName: metrics", "/spec/podMetricsEndpoints/0/portName")]
    [InlineData(PodMonitor, "  selector:\n    matchLabels: {app: probe}\n", "", "/spec")]
    public void ABrokenObject_IsRefused_AtTheBrokenField(string valid, string part, string broken, string location)
    {
        // Raw string literals end lines with the source file's line endings; the edits are written with \n.
        valid = valid.ReplaceLineEndings("\n");
        Assert.Contains(part, valid);

        var violations = Violations(valid.Replace(part, broken, StringComparison.Ordinal));

        Assert.NotEmpty(violations);
        Assert.Contains(violations, v => v.Contains($": {location}: ", StringComparison.Ordinal));
    }

    [Fact]
    public void AKindWithoutASchema_IsRefused()
    {
        var violations = Violations("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: probe\n");

        Assert.Equal(["CronJob probe: no schema for apiVersion 'batch/v1', kind 'CronJob'"], violations);
    }

    [Fact]
    public void YamlScalars_TakeTheirTypeFromTheirStyle()
    {
        var document = Assert.Single(YamlDocuments.Parse("a: 8080\nb: \"8080\"\nc: true\nd: 'true'\ne: 1.5\nf: 512Mi\ng: ~\n---\n"));

        Assert.Equal("""{"a":8080,"b":"8080","c":true,"d":"true","e":1.5,"f":"512Mi","g":null}""", document.ToJsonString());
    }

    private static List<string> Violations(string yaml) => KubernetesSchemas.Violations(Assert.Single(YamlDocuments.Parse(yaml)));
}
