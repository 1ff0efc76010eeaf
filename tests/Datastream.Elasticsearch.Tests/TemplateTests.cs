using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Datastream.Elasticsearch.Tests;

public sealed class TemplateTests
{
    [Fact]
    public async Task A_missing_template_is_installed_from_the_deploy_file_before_the_first_write()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);

        await index.UpsertAsync(Rides(0, 3), Ct);

        var expected = JsonNode.Parse(File.ReadAllText(DeployTemplatePath()))!;
        Assert.True(JsonNode.DeepEquals(expected, fake.Template("rides")), "the installed template is the deploy file");
        var calls = fake.Requests.Select(r => (r.Method, r.Path)).ToList();
        Assert.Equal(("GET", "/"), calls[0]);
        Assert.Equal(("HEAD", "/_index_template/rides"), calls[1]);
        Assert.Equal(("PUT", "/_index_template/rides"), calls[2]);
        Assert.Equal(("POST", "/_bulk"), calls[3]);
        Assert.Equal("9.1.0", index.ClusterVersion);
        // The template is checked once per adapter, not before every write.
        await index.UpsertAsync(Rides(3, 3), Ct);
        Assert.Single(fake.Requests, r => r.Path.StartsWith("/_index_template", StringComparison.Ordinal) && r.Method == "HEAD");
    }

    [Fact]
    public async Task An_existing_template_is_left_as_the_operators_made_it()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        const string tuned = """
            {"index_patterns":["rides*"],"priority":300,"template":{"settings":{"index":{"number_of_shards":3}},
             "mappings":{"properties":{"ride_id":{"type":"keyword"},"ts":{"type":"date"}}}}}
            """;
        fake.PutTemplate("rides", tuned);
        await using var index = Open(fake);

        await index.UpsertAsync(Rides(0, 3), Ct);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(tuned), fake.Template("rides")));
        Assert.DoesNotContain(fake.Requests, r => r.Method == "PUT");
        Assert.Equal(3, fake.Documents().Count);
    }

    [Fact]
    public async Task A_template_the_cluster_refuses_is_a_one_line_error_with_its_reason_and_nothing_is_written()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        fake.RejectTemplate = "composable template [rides] template after composition is invalid";
        await using var index = Open(fake);

        var error = await Assert.ThrowsAsync<ElasticsearchRequestException>(() => index.UpsertAsync(Rides(0, 3), Ct).AsTask());

        Assert.Contains("index template rides", error.Message);
        Assert.Contains("illegal_argument_exception: composable template [rides]", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(0, fake.BulkRequests);
        // Once the cluster accepts it, the same adapter installs it and writes.
        fake.RejectTemplate = null;
        Assert.Empty(await index.UpsertAsync(Rides(0, 3), Ct));
        Assert.NotNull(fake.Template("rides"));
    }

    [Fact]
    public async Task An_unreachable_cluster_is_a_one_line_unavailable_error_naming_it()
    {
        int port = FreePort();
        var options = new ElasticsearchIndexOptions
        {
            Nodes = [new Uri($"http://127.0.0.1:{port}")],
            MaxAttempts = 2,
            MinRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(2),
        };
        await using var index = new ElasticsearchRideIndex(options);

        var error = await Assert.ThrowsAsync<ElasticsearchUnavailableException>(() => index.UpsertAsync(Rides(0, 1), Ct).AsTask());

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("GET /", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_server_that_is_not_Elasticsearch_is_refused_before_anything_is_written()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        fake.ProductHeader = null;
        await using var index = Open(fake);

        var error = await Assert.ThrowsAsync<ElasticsearchRequestException>(() => index.UpsertAsync(Rides(0, 2), Ct).AsTask());

        Assert.Contains("is not Elasticsearch", error.Message);
        Assert.Equal(0, fake.BulkRequests);
        Assert.Null(fake.Template("rides"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DeployTemplatePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "deploy", "elasticsearch", "rides-template.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("deploy/elasticsearch/rides-template.json not found above the test output");
    }
}
