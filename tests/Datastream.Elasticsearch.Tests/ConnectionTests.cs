using System.Text;

namespace Datastream.Elasticsearch.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task An_api_key_is_sent_as_the_ApiKey_authorization_on_every_request()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        fake.RequiredAuthorization = "ApiKey c2VjcmV0LWlkOnNlY3JldC1rZXk=";
        await using var index = Open(fake, o => o with { ApiKey = "c2VjcmV0LWlkOnNlY3JldC1rZXk=" });

        Assert.Empty(await index.UpsertAsync(Rides(0, 4), Ct));
        Assert.Equal(4, await index.CountAsync(Ct));

        Assert.True(fake.Requests.Count >= 4);
        Assert.All(fake.Requests, r => Assert.Equal("ApiKey c2VjcmV0LWlkOnNlY3JldC1rZXk=", r.Authorization));
    }

    [Fact]
    public async Task A_username_and_password_are_sent_as_basic_authorization()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("datastream:s3cret:with-colon"));
        fake.RequiredAuthorization = expected;
        await using var index = Open(fake, o => o with { Username = "datastream", Password = "s3cret:with-colon" });

        Assert.Empty(await index.UpsertAsync(Rides(0, 4), Ct));

        Assert.All(fake.Requests, r => Assert.Equal(expected, r.Authorization));
        Assert.Equal(4, fake.Documents().Count);
    }

    [Fact]
    public async Task Without_credentials_no_authorization_is_sent()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);

        await index.UpsertAsync(Rides(0, 1), Ct);

        Assert.All(fake.Requests, r => Assert.Equal("", r.Authorization));
    }

    [Fact]
    public async Task Tls_is_trusted_through_the_given_CA_file()
    {
        using var dir = new TemporaryDirectory();
        using var certificates = new TestCertificates();
        await using var fake = await FakeElasticsearch.StartAsync(certificates.Server);
        Assert.Equal("https", fake.Uri.Scheme);
        string ca = certificates.WriteAuthorityPem(dir.File("http_ca.crt"));
        await using var index = Open(fake, o => o with { CaCertificateFile = ca, ApiKey = "k" });

        Assert.Empty(await index.UpsertAsync(Rides(0, 3), Ct));
        Assert.Equal(3, await index.CountAsync(Ct));
    }

    [Fact]
    public async Task Tls_signed_by_another_CA_is_refused_and_nothing_is_sent()
    {
        using var dir = new TemporaryDirectory();
        using var server = new TestCertificates();
        using var other = new TestCertificates("Some other CA");
        await using var fake = await FakeElasticsearch.StartAsync(server.Server);
        string ca = other.WriteAuthorityPem(dir.File("other_ca.crt"));
        await using var index = Open(fake, o => o with { CaCertificateFile = ca, MaxAttempts = 2 });

        var error = await Assert.ThrowsAsync<ElasticsearchUnavailableException>(() => index.UpsertAsync(Rides(0, 3), Ct).AsTask());

        Assert.Contains(fake.Uri.GetLeftPart(UriPartial.Authority), error.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task With_several_nodes_a_dead_one_is_failed_over()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var dead = await FakeElasticsearch.StartAsync();
        var deadUri = dead.Uri;
        await dead.DisposeAsync();
        await using var index = Open(fake, o => o with { Nodes = [deadUri, fake.Uri] });

        for (int i = 0; i < 4; i++)
        {
            Assert.Empty(await index.UpsertAsync(Rides(i * 10, 10), Ct));
        }

        Assert.Equal(40, fake.Documents().Count);
    }
}
