using System.Net;
using System.Net.Sockets;

namespace Datastream.IntegrationTests.WebApp;

/// <summary>
/// Secrets never leave in a message: a password planted in ELASTICSEARCH_URL (the common user:password@ form), in the
/// Elasticsearch password variable's neighbour settings and in the admin token is in no log line, error or API answer
/// of a `serve` whose index does not answer (so every error path that names the index runs).
/// </summary>
public sealed class SecretExposureTests
{
    private const string Planted = "PLANTED-s3cret-9f1c";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APlantedSecret_IsInNoLogLineErrorOrApiAnswer()
    {
        using var dir = new TemporaryDirectory();
        int nothingListens = ClosedPort();
        var environment = new Dictionary<string, string>
        {
            ["DATASTREAM_INDEX"] = "elasticsearch",
            ["ELASTICSEARCH_URL"] = $"http://elastic:{Planted}@127.0.0.1:{nothingListens}",
            ["DATASTREAM_ADMIN_TOKEN"] = Planted + "-token",
        };
        using var run = await WebRun.StartAsync(dir.Path, ["serve", "--verbose"], environment: environment);
        var http = run.Http;

        // The index does not answer: /readyz says so, naming it; every answer is read for the secret.
        string ready = "";
        await Eventually.HoldsAsync("readyz names the index that does not answer", async () =>
        {
            using var response = await http.GetAsync("readyz", Cancel);
            ready = await response.Content.ReadAsStringAsync(Cancel);
            return (response.StatusCode == HttpStatusCode.ServiceUnavailable && ready.Contains("index", StringComparison.Ordinal), ready);
        });
        var answers = new List<string> { ready };
        foreach (string path in new[] { "api/summary", "api/pipelines", "api/rides?limit=1", "api/dashboard/volume", "healthz", "metrics" })
        {
            using var response = await http.GetAsync(path, Cancel);
            answers.Add($"{path} {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
        }

        run.Process.Terminate();
        await run.Process.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains($"127.0.0.1:{nothingListens}", string.Join('\n', answers) + run.Process.Stderr, StringComparison.Ordinal);
        foreach (string text in answers.Append(run.Process.Stdout).Append(run.Process.Stderr))
        {
            Assert.DoesNotContain(Planted, text, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Every other secret Datastream reads, planted through its variable (or file), with JSON logs at --verbose: a
    /// `serve` whose Kafka brokers do not answer fails to start (after the secrets were read, bound and validated, and
    /// librdkafka retried its SASL connection for the request timeout), and neither its log lines nor its error name any.
    /// </summary>
    [Fact]
    public async Task PlantedSecretsOfEveryKind_AreInNoLogLineOrErrorOfAFailingStart()
    {
        using var dir = new TemporaryDirectory();
        string passwordFile = Path.Combine(dir.Path, "es-password");
        await File.WriteAllTextAsync(passwordFile, Planted + "-es-password-file\n", Cancel);
        var environment = new Dictionary<string, string>
        {
            ["DATASTREAM_LOG_FORMAT"] = "json",
            ["DATASTREAM_LOG"] = "kafka",
            ["KAFKA_BOOTSTRAP_SERVERS"] = $"127.0.0.1:{ClosedPort()}",
            ["KAFKA_SECURITY_PROTOCOL"] = "sasl_plaintext",
            ["KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512",
            ["KAFKA_SASL_USERNAME"] = "datastream",
            ["KAFKA_SASL_PASSWORD"] = Planted + "-kafka",
            ["DATASTREAM__Kafka__Extra__ssl.key.password"] = Planted + "-kafka-ssl-key",
            ["DATASTREAM__Kafka__DiscoverConsumerGroups"] = "false",
            ["DATASTREAM_INDEX"] = "elasticsearch",
            ["ELASTICSEARCH_URL"] = $"http://127.0.0.1:{ClosedPort()}",
            ["ELASTICSEARCH_USERNAME"] = "elastic",
            ["ELASTICSEARCH_PASSWORD_FILE"] = passwordFile,
            ["DATASTREAM_ADMIN_TOKEN"] = Planted + "-admin",
            ["KIBANA_API_KEY"] = Planted + "-kibana",
            ["GOOGLE_APPLICATION_CREDENTIALS"] = passwordFile,
        };

        var (code, stdout, stderr) = await DatastreamProcess.RunAsync(dir.Path, ["serve", "--verbose"], TimeSpan.FromMinutes(2), environment);

        Assert.NotEqual(0, code);
        Assert.Contains("127.0.0.1", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Planted, stdout + stderr, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
