using Datastream.Elasticsearch.Hosting;

namespace Datastream.Elasticsearch.Tests;

/// <summary>Credentials in ELASTICSEARCH_URL become basic auth; the node URLs, which messages and pages show, lose them.</summary>
public sealed class NodeUrlCredentialsTests
{
    [Fact]
    public void CredentialsInTheUrl_BecomeBasicAuth_AndLeaveTheNodeUrls()
    {
        var settings = new ElasticsearchIndexSettings { Url = "https://elastic:p%40ss%3Aword@es-1:9200, https://es-2:9200" };
        var options = settings.ToOptions();

        Assert.Equal(["https://es-1:9200/", "https://es-2:9200/"], options.Nodes.Select(n => n.ToString()));
        Assert.Equal(("elastic", "p@ss:word"), (options.Username, options.Password));
        Assert.True(new ElasticsearchIndexSettingsValidator().Validate(null, settings).Succeeded);
    }

    [Fact]
    public void CredentialsInTheUrl_AndSetApart_AreRefused_AndABadUrlIsShownWithoutThem()
    {
        var validator = new ElasticsearchIndexSettingsValidator();
        var both = new ElasticsearchIndexSettings { Url = "http://elastic:secret@es:9200", Username = "other" };
        Assert.Contains("choose one way", validator.Validate(null, both).FailureMessage, StringComparison.Ordinal);

        var bad = validator.Validate(null, new ElasticsearchIndexSettings { Url = "ftp://elastic:secret@es:21" }).FailureMessage;
        Assert.Contains("ftp://***@es:21", bad, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", bad, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOptionsDescribeThemselvesWithoutTheirSecrets()
    {
        var withKey = new ElasticsearchIndexOptions { Nodes = [new Uri("http://es:9200")], ApiKey = "PLANTED-api-key" };
        var withPassword = new ElasticsearchIndexOptions { Nodes = [new Uri("http://es:9200")], Username = "elastic", Password = "PLANTED-password" };

        Assert.Equal("elasticsearch http://es:9200/ index rides (api key)", withKey.ToString());
        Assert.Equal("elasticsearch http://es:9200/ index rides (basic as elastic)", withPassword.ToString());
        Assert.DoesNotContain("PLANTED", $"{withKey} {withPassword} {new { withKey, withPassword }}", StringComparison.Ordinal);
    }
}
