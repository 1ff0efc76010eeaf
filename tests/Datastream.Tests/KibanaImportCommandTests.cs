using System.Diagnostics;
using System.Net;
using System.Text;
using Datastream.Cli;

namespace Datastream.Tests;

/// <summary>
/// `datastream kibana import` run as the built CLI (a child process, so its environment is its own) against a local
/// server standing in for Kibana: the request on the wire, the report, and the exit codes.
/// </summary>
public sealed class KibanaImportCommandTests
{
    private const string Success = """{"success":true,"successCount":8,"successResults":[{"type":"index-pattern","id":"datastream-rides","meta":{"title":"rides*"}}]}""";

    [Fact]
    public async Task Import_PostsTheBuiltInObjectsWithAnApiKey_AndReportsTheCount()
    {
        await using var kibana = new FakeKibana(HttpStatusCode.OK, Success);

        var run = await RunCliAsync(["kibana", "import", "--url", kibana.Url], new() { ["KIBANA_API_KEY"] = "a2V5OnNlY3JldA==" });

        Assert.Equal(DatastreamCli.Success, run.ExitCode);
        Assert.Equal($"imported 8 saved objects from datastream.ndjson into Kibana at {kibana.Url}", run.Stdout.Trim());
        Assert.Equal("", run.Stderr);
        var request = Assert.Single(kibana.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/saved_objects/_import", request.Path);
        Assert.Equal("?overwrite=true", request.Query);
        Assert.Equal("true", request.Headers["kbn-xsrf"]);
        Assert.Equal("ApiKey a2V5OnNlY3JldA==", request.Headers["authorization"]);
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        var part = Assert.Single(MultipartBody.Parse(request.ContentType, request.Body));
        Assert.Equal("form-data; name=\"file\"; filename=\"datastream.ndjson\"", part.Headers["content-disposition"]);
        Assert.Equal(KibanaCommand.BuiltInSavedObjects(), part.Content);
    }

    [Fact]
    public async Task Import_UsesBasicAuthFromAPasswordFile_AndTheSpacePath()
    {
        await using var kibana = new FakeKibana(HttpStatusCode.OK, Success);
        using var dir = new TemporaryDirectory();
        File.WriteAllText(dir.File("password"), "s3cret:with colon\n");

        var run = await RunCliAsync(["kibana", "import", "--url", kibana.Url + "/", "--space", "ops"],
            new() { ["KIBANA_USERNAME"] = "elastic", ["KIBANA_PASSWORD_FILE"] = dir.File("password") });

        Assert.Equal(DatastreamCli.Success, run.ExitCode);
        Assert.Contains("(space ops)", run.Stdout, StringComparison.Ordinal);
        var request = Assert.Single(kibana.Requests);
        Assert.Equal("/s/ops/api/saved_objects/_import", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:s3cret:with colon")), request.Headers["authorization"]);
    }

    [Fact]
    public async Task Import_SendsAnotherFile_UnderAnNdjsonName()
    {
        await using var kibana = new FakeKibana(HttpStatusCode.OK, """{"success":true,"successCount":1}""");
        using var dir = new TemporaryDirectory();
        string export = """{"type":"index-pattern","id":"other","attributes":{"title":"other*"},"references":[]}""" + "\n";
        File.WriteAllText(dir.File("export.json"), export);

        var run = await RunCliAsync(["kibana", "import", "--url", kibana.Url, "--file", dir.File("export.json")], []);

        Assert.Equal(DatastreamCli.Success, run.ExitCode);
        var request = Assert.Single(kibana.Requests);
        Assert.False(request.Headers.ContainsKey("authorization"), "no credentials in the environment, none sent");
        var part = Assert.Single(MultipartBody.Parse(request.ContentType, request.Body));
        Assert.Equal("form-data; name=\"file\"; filename=\"export.ndjson\"", part.Headers["content-disposition"]);
        Assert.Equal(export, Encoding.UTF8.GetString(part.Content));
    }

    [Fact]
    public async Task Import_ReportsEachErrorKibanaReturns_AndExits1()
    {
        const string answer = """
            {"success":false,"successCount":6,"errors":[
              {"id":"datastream-rides-pickups-map","type":"map","meta":{"title":"Pickups","icon":"gisApp"},
               "error":{"type":"missing_references","references":[{"type":"index-pattern","id":"datastream-rides"}]}},
              {"id":"datastream-rides-comfort-mix","type":"lens","title":"Comfort mix",
               "error":{"type":"unknown","message":"Document has a more recent version\nthan this Kibana","statusCode":400}}]}
            """;
        await using var kibana = new FakeKibana(HttpStatusCode.OK, answer);

        var run = await RunCliAsync(["kibana", "import", "--url", kibana.Url], []);

        Assert.Equal(DatastreamCli.RuntimeFailure, run.ExitCode);
        Assert.Equal($"imported 6 saved objects from datastream.ndjson into Kibana at {kibana.Url}; 2 failed", run.Stdout.Trim());
        Assert.Equal(
            [
                "error: map datastream-rides-pickups-map (Pickups): missing_references: missing index-pattern datastream-rides",
                "error: lens datastream-rides-comfort-mix (Comfort mix): unknown: Document has a more recent version than this Kibana",
            ],
            Lines(run.Stderr));
    }

    [Fact]
    public async Task Import_ReportsAnHttpError_InOneLine()
    {
        await using var kibana = new FakeKibana(HttpStatusCode.Unauthorized, """{"statusCode":401,"error":"Unauthorized","message":"[security_exception]: unable to authenticate user"}""");

        var run = await RunCliAsync(["kibana", "import", "--url", kibana.Url], new() { ["KIBANA_API_KEY"] = "wrong" });

        Assert.Equal(DatastreamCli.RuntimeFailure, run.ExitCode);
        Assert.Equal(["error: Kibana answered 401 Unauthorized to /api/saved_objects/_import: [security_exception]: unable to authenticate user"], Lines(run.Stderr));
    }

    [Fact]
    public async Task Import_ReportsAnUnreachableKibana_AndExits1()
    {
        string url;
        // A server that was started and stopped leaves a port that nothing listens on.
        await using (var gone = new FakeKibana(HttpStatusCode.OK, Success))
        {
            url = gone.Url;
        }

        var run = await RunCliAsync(["kibana", "import", "--url", url], []);

        Assert.Equal(DatastreamCli.RuntimeFailure, run.ExitCode);
        Assert.StartsWith($"error: Kibana at {url} is unreachable", Assert.Single(Lines(run.Stderr)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "kibana", "import" }, "", "--url (or KIBANA_URL) is required")]
    [InlineData(new[] { "kibana", "import", "--url", "localhost:5601" }, "", "--url: 'localhost:5601' is not an http or https URL")]
    [InlineData(new[] { "kibana", "import", "--url", "http://127.0.0.1:9", "--space", "Ops Team" }, "", "--space: 'Ops Team' is not a Kibana space id")]
    [InlineData(new[] { "kibana", "import", "--url", "http://127.0.0.1:9", "--file", "/nonexistent/export.ndjson" }, "", "--file: file '/nonexistent/export.ndjson' does not exist")]
    [InlineData(new[] { "kibana", "import", "--url", "http://127.0.0.1:9" }, "KIBANA_API_KEY=k;KIBANA_USERNAME=u;KIBANA_PASSWORD=p", "set either KIBANA_API_KEY or KIBANA_USERNAME and KIBANA_PASSWORD, not both")]
    [InlineData(new[] { "kibana", "import", "--url", "http://127.0.0.1:9" }, "KIBANA_USERNAME=u", "KIBANA_USERNAME and KIBANA_PASSWORD (or KIBANA_PASSWORD_FILE) go together")]
    [InlineData(new[] { "kibana", "import", "--url", "http://127.0.0.1:9" }, "KIBANA_API_KEY_FILE=/nonexistent/key", "KIBANA_API_KEY_FILE: file '/nonexistent/key' does not exist")]
    [InlineData(new[] { "kibana", "import", "--bogus" }, "", "Unrecognized command or argument '--bogus'")]
    public async Task UsageErrors_Exit2_WithOneLine(string[] args, string environment, string expected)
    {
        var variables = environment.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v[1]);

        var run = await RunCliAsync(args, variables);

        Assert.Equal(DatastreamCli.UsageError, run.ExitCode);
        Assert.Contains(expected, Assert.Single(Lines(run.Stderr)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KibanaUrl_ComesFromTheEnvironment_WhenNoOptionIsGiven()
    {
        await using var kibana = new FakeKibana(HttpStatusCode.OK, Success);

        var run = await RunCliAsync(["kibana", "import"], new() { ["KIBANA_URL"] = kibana.Url });

        Assert.Equal(DatastreamCli.Success, run.ExitCode);
        Assert.Single(kibana.Requests);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private sealed record CliRun(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs the built CLI with no KIBANA_* variable of the test's own environment, plus the ones given.</summary>
    private static async Task<CliRun> RunCliAsync(string[] args, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepositoryRoot.Cli);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (string inherited in info.Environment.Keys.Where(k => k.StartsWith("KIBANA_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
