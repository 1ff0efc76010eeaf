using System.Text.Json.Nodes;
using Datastream.Core.Clustering;
using Datastream.Warehouse;
using Datastream.Warehouse.BigQuery;

namespace Datastream.Warehouse.Tests.BigQuery;

/// <summary>The BigQuery adapter against a local HTTP server speaking the documented jobs.query / getQueryResults shapes.</summary>
public sealed class BigQueryWarehouseTests
{
    private const string Project = "test-project";
    private const string JobId = "job_abc123";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static KMeansModel EightClusters() =>
        new(
            NewYorkRides.DyadicStandardization,
            Enumerable.Range(1, 8).Select(i => new Centroid(i, 40.7 + i / 100.0, -74.0 + i / 100.0, 10)).ToArray(),
            new KMeansTraining(8, 10, 1, 0.5, 0.8, 600, "test", NewYorkRides.Start));

    private static BigQueryWarehouse Warehouse(FakeBigQueryServer server) =>
        BigQueryWarehouse.Create(new BigQueryOptions(Project, "lake-bucket", "rides/processed/", "EU", server.BaseUri), pollDelay: TimeSpan.FromMilliseconds(1));

    private static string QueryResponse(bool complete) => new JsonObject
    {
        ["kind"] = "bigquery#queryResponse",
        ["jobReference"] = new JsonObject { ["projectId"] = Project, ["jobId"] = JobId, ["location"] = "EU" },
        ["jobComplete"] = complete,
    }.ToJsonString();

    private static JsonObject Schema() => new()
    {
        ["fields"] = new JsonArray(
            new JsonObject { ["name"] = "cluster_id", ["type"] = "INTEGER" },
            new JsonObject { ["name"] = "comfort", ["type"] = "STRING" },
            new JsonObject { ["name"] = "revenue", ["type"] = "NUMERIC" },
            new JsonObject { ["name"] = "n", ["type"] = "INTEGER" }),
    };

    private static JsonObject Row(string cluster, string comfort, string revenue, string n) => new()
    {
        ["f"] = new JsonArray(
            new JsonObject { ["v"] = cluster }, new JsonObject { ["v"] = comfort },
            new JsonObject { ["v"] = revenue }, new JsonObject { ["v"] = n }),
    };

    private static string Results(bool complete, string? pageToken, params JsonObject[] rows)
    {
        var result = new JsonObject
        {
            ["kind"] = "bigquery#getQueryResultsResponse",
            ["jobReference"] = new JsonObject { ["projectId"] = Project, ["jobId"] = JobId, ["location"] = "EU" },
            ["jobComplete"] = complete,
        };
        if (complete)
        {
            result["schema"] = Schema();
            result["totalRows"] = "3";
            result["rows"] = new JsonArray(rows);
        }
        if (pageToken is not null)
        {
            result["pageToken"] = pageToken;
        }

        return result.ToJsonString();
    }

    [Fact]
    public async Task Revenue_polls_until_complete_follows_pages_and_parses_typed_rows_in_order()
    {
        var polls = 0;
        await using var server = new FakeBigQueryServer(request =>
        {
            Assert.Null(request.Authorization);
            if (request.Method == "POST")
            {
                Assert.Equal($"/bigquery/v2/projects/{Project}/queries", request.Path);
                Assert.False(request.Body!["useLegacySql"]!.GetValue<bool>());
                Assert.Equal("EU", request.Body["location"]!.GetValue<string>());
                Assert.True(request.Body["timeoutMs"]!.GetValue<long>() > 0);
                var sql = request.Body["query"]!.GetValue<string>();
                Assert.Contains($"ML.PREDICT(\n  MODEL `{Project}.rides.kmeans8`", sql, StringComparison.Ordinal);
                Assert.Contains($"`{Project}.rides.rides_processed_ext`", sql, StringComparison.Ordinal);
                Assert.DoesNotContain("{", sql, StringComparison.Ordinal);
                return (200, QueryResponse(complete: false));
            }
            Assert.Equal("GET", request.Method);
            Assert.Equal($"/bigquery/v2/projects/{Project}/queries/{JobId}", request.Path);
            Assert.Equal("EU", request.Query["location"]);
            if (!request.Query.TryGetValue("pageToken", out var page))
            {
                polls++;
                return polls < 3
                    ? (200, Results(complete: false, pageToken: null))
                    : (200, Results(complete: true, pageToken: "page-2", Row("1", "high", "123.45", "3"), Row("4", "standard", "99.5", "7")));
            }
            Assert.Equal("page-2", page);
            return (200, Results(complete: true, pageToken: null, Row("2", "economy", "1.5E1", "1")));
        });
        await using var warehouse = Warehouse(server);

        var rows = await warehouse.RevenueAsync(EightClusters(), Token);

        Assert.Equal("bigquery", warehouse.Engine);
        Assert.Equal(
            [new RevenueRow(1, "high", 123.45m, 3), new RevenueRow(4, "standard", 99.5m, 7), new RevenueRow(2, "economy", 15m, 1)],
            rows);
        Assert.Equal(3, polls);
        Assert.Equal(["POST", "GET", "GET", "GET", "GET"], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task An_error_response_surfaces_as_an_exception_naming_the_job_and_the_reason()
    {
        await using var server = new FakeBigQueryServer(request => request.Method == "POST"
            ? (200, QueryResponse(complete: false))
            : (400, """{"error":{"code":400,"message":"Not found: Table test-project:rides.rides_processed_ext","errors":[{"reason":"notFound","message":"Not found"}],"status":"NOT_FOUND"}}"""));
        await using var warehouse = Warehouse(server);

        var error = await Assert.ThrowsAsync<BigQueryException>(async () => await warehouse.RevenueAsync(EightClusters(), Token));

        Assert.Equal("notFound", error.Reason);
        Assert.Equal(JobId, error.JobId);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(JobId, error.Message, StringComparison.Ordinal);
        Assert.Contains("notFound", error.Message, StringComparison.Ordinal);
        Assert.Contains("Not found: Table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_jobs_query_names_the_call_and_the_reason()
    {
        await using var server = new FakeBigQueryServer(_ =>
            (400, """{"error":{"code":400,"message":"Syntax error","errors":[{"reason":"invalidQuery"}]}}"""));
        await using var warehouse = Warehouse(server);

        var error = await Assert.ThrowsAsync<BigQueryException>(() => warehouse.SetupAsync(Token));

        Assert.Null(error.JobId);
        Assert.Contains("jobs.query", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalidQuery", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Setup_sends_dataset_external_table_reference_load_and_model_in_order_with_placeholders_substituted()
    {
        await using var server = new FakeBigQueryServer(_ => (200, QueryResponse(complete: true)));
        await using var warehouse = Warehouse(server);

        await warehouse.SetupAsync(Token);

        var queries = server.Requests.Select(r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Null(r.Authorization);
            Assert.False(r.Body!["useLegacySql"]!.GetValue<bool>());
            return r.Body["query"]!.GetValue<string>();
        }).ToArray();
        Assert.Equal(4, queries.Length);
        Assert.All(queries, q => Assert.DoesNotContain("{", q, StringComparison.Ordinal));
        Assert.Contains($"CREATE SCHEMA IF NOT EXISTS `{Project}.rides`", queries[0], StringComparison.Ordinal);
        Assert.Contains("location = 'EU'", queries[0], StringComparison.Ordinal);
        Assert.Contains($"CREATE OR REPLACE EXTERNAL TABLE `{Project}.rides.rides_processed_ext`", queries[1], StringComparison.Ordinal);
        Assert.Contains("WITH PARTITION COLUMNS", queries[1], StringComparison.Ordinal);
        Assert.Contains("uris = ['gs://lake-bucket/rides/processed/*']", queries[1], StringComparison.Ordinal);
        Assert.Contains("hive_partition_uri_prefix = 'gs://lake-bucket/rides/processed/'", queries[1], StringComparison.Ordinal);
        Assert.Contains($"`{Project}.rides.reference_uber`", queries[2], StringComparison.Ordinal);
        Assert.Contains("'gs://lake-bucket/reference/uber-split2.csv'", queries[2], StringComparison.Ordinal);
        Assert.Contains("skip_leading_rows = 1", queries[2], StringComparison.Ordinal);
        Assert.Contains($"CREATE OR REPLACE MODEL `{Project}.rides.kmeans8`", queries[3], StringComparison.Ordinal);
        Assert.Contains("MODEL_TYPE = 'KMEANS'", queries[3], StringComparison.Ordinal);
        Assert.Contains("NUM_CLUSTERS = 8", queries[3], StringComparison.Ordinal);
        Assert.Contains("KMEANS_INIT_METHOD = 'KMEANS++'", queries[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revenue_rejects_a_local_model_whose_k_differs_from_the_BigQuery_model()
    {
        await using var server = new FakeBigQueryServer(_ => (500, "{}"));
        await using var warehouse = Warehouse(server);

        await Assert.ThrowsAsync<ArgumentException>(async () => await warehouse.RevenueAsync(NewYorkRides.Model(NewYorkRides.DyadicStandardization), Token));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("Bad_Project", "lake-bucket", "rides/processed/")]
    [InlineData("test-project", "lake'bucket", "rides/processed/")]
    [InlineData("test-project", "lake-bucket", "rides/x'];DROP/")]
    [InlineData("test-project", "lake-bucket", "rides/processed")]
    public void Placeholder_values_that_could_break_out_of_the_SQL_are_rejected(string project, string bucket, string prefix) =>
        Assert.Throws<ArgumentException>(() => BigQuerySql.Render(BigQuerySql.CreateExternalTable, new BigQueryOptions(project, bucket, prefix)));

    [Fact]
    public void Every_embedded_BigQuery_statement_renders_without_leftover_placeholders()
    {
        var options = new BigQueryOptions(Project, "lake-bucket");
        foreach (var sql in new[] { BigQuerySql.CreateDataset, BigQuerySql.CreateExternalTable, BigQuerySql.LoadReference, BigQuerySql.CreateModel, BigQuerySql.Revenue, BigQuerySql.CreateNativeTable })
        {
            Assert.DoesNotContain("{", BigQuerySql.Render(sql, options), StringComparison.Ordinal);
        }

        Assert.Contains("PARTITION BY TIMESTAMP_TRUNC(ts, HOUR)", BigQuerySql.CreateNativeTable, StringComparison.Ordinal);
    }
}
