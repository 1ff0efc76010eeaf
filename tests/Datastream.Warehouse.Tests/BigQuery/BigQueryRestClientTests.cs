using System.Text.Json.Nodes;
using Datastream.Warehouse.BigQuery;

namespace Datastream.Warehouse.Tests.BigQuery;

/// <summary>The REST client alone: bearer tokens from the token source, a first page returned inline by jobs.query.</summary>
public sealed class BigQueryRestClientTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static JsonObject Page(string jobId, string? pageToken, params string[] values)
    {
        var page = new JsonObject
        {
            ["jobReference"] = new JsonObject { ["projectId"] = "test-project", ["jobId"] = jobId, ["location"] = "US" },
            ["jobComplete"] = true,
            ["schema"] = new JsonObject { ["fields"] = new JsonArray(new JsonObject { ["name"] = "x", ["type"] = "STRING" }) },
            ["totalRows"] = "3",
            ["rows"] = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["f"] = new JsonArray(new JsonObject { ["v"] = v }) }).ToArray()),
        };
        if (pageToken is not null)
        {
            page["pageToken"] = pageToken;
        }

        return page;
    }

    [Fact]
    public async Task The_token_source_s_token_is_sent_as_a_bearer_header_and_an_inline_first_page_is_continued()
    {
        await using var server = new FakeBigQueryServer(request => request.Method == "POST"
            ? (200, Page("job_1", "p2", "a", "b").ToJsonString())
            : (200, Page("job_1", null, "c").ToJsonString()));
        using var client = new BigQueryRestClient("test-project", "US", _ => Task.FromResult<string?>("tok-123"), server.BaseUri);

        var result = await client.QueryAsync("SELECT x FROM t", Token);

        Assert.Equal("job_1", result.JobId);
        Assert.Equal(["x"], result.FieldNames);
        Assert.Equal(["a", "b", "c"], result.Rows.Select(r => r[0]));
        Assert.All(server.Requests, r => Assert.Equal("Bearer tok-123", r.Authorization));
        Assert.Equal("p2", server.Requests[1].Query["pageToken"]);
    }
}
