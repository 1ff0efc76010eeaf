using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Datastream.Elasticsearch.Tests;

/// <summary>
/// A local stand-in for Elasticsearch over real HTTP (Kestrel on loopback), enough for the calls the adapter makes:
/// root info, index templates, _bulk (NDJSON, documents stored by _id, strict mapping from a matching template),
/// _count and _search (bool filters, sort, from/size, date_histogram/terms/sum aggregations; see
/// <see cref="FakeSearch"/>). Anything it does not understand is a 400, so a wrong request fails a test. Failures are
/// injected per whole _bulk request and per item, or for every request (<see cref="AnswerEveryRequest"/>); the server can be
/// stopped (connections refused) and restarted on its port with what it held. Every answer carries X-Elastic-Product,
/// which the client checks.
/// </summary>
internal sealed class FakeElasticsearch : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeIndex> _indices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _stored = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];
    private WebApplication? _app;
    private int _bulkRequests;

    private FakeElasticsearch(X509Certificate2? certificate) => _certificate = certificate;

    public Uri Uri { get; private set; } = null!;

    /// <summary>Status (429, 503...) to answer the n-th _bulk request (1-based) with as a whole, or null to process it.</summary>
    public Func<int, int?> BulkRequestFailure { get; set; } = _ => null;

    /// <summary>A mapping error reason for an item's _id, or null: that item is refused with mapper_parsing_exception (400).</summary>
    public Func<string, string?> RejectItem { get; set; } = _ => null;

    /// <summary>Status (429, 503) for an item, given its _id and how many index actions for it were received so far (1-based).</summary>
    public Func<string, int, int?> ItemFailure { get; set; } = (_, _) => null;

    /// <summary>When set, requests without exactly this Authorization header get 401.</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>The X-Elastic-Product header of every answer; null plays a server that is not Elasticsearch.</summary>
    public string? ProductHeader { get; set; } = "Elasticsearch";

    /// <summary>When set, PUT _index_template answers 400 with this reason.</summary>
    public string? RejectTemplate { get; set; }

    /// <summary>When set, every request is answered with this status (503: a cluster whose HTTP layer is up but which cannot serve).</summary>
    public int? AnswerEveryRequest { get; set; }

    public static async Task<FakeElasticsearch> StartAsync(X509Certificate2? certificate = null)
    {
        var fake = new FakeElasticsearch(certificate);
        await fake.ListenAsync(port: 0);
        return fake;
    }

    /// <summary>Stops listening: connections are refused, as by a node that is down, until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        var app = _app ?? throw new InvalidOperationException("the fake is stopped already");
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Listens again on the same port, with the templates and documents it held (a node restarted).</summary>
    public Task RestartAsync() => _app is null ? ListenAsync(Uri.Port) : throw new InvalidOperationException("the fake is running");

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_gate) { return _requests.ToList(); } } }

    public int BulkRequests { get { lock (_gate) { return _bulkRequests; } } }

    /// <summary>The stored _source of each document of an index, by _id.</summary>
    public IReadOnlyDictionary<string, JsonObject> Documents(string index = "rides")
    {
        lock (_gate)
        {
            return _indices.TryGetValue(index, out var found) ? found.Documents.ToDictionary(d => d.Key, d => (JsonObject)d.Value.DeepClone()) : [];
        }
    }

    /// <summary>Index actions received per _id (also those refused or pushed back).</summary>
    public IReadOnlyDictionary<string, int> Received { get { lock (_gate) { return new Dictionary<string, int>(_received); } } }

    /// <summary>Successful writes per _id.</summary>
    public IReadOnlyDictionary<string, int> Stored { get { lock (_gate) { return new Dictionary<string, int>(_stored); } } }

    public JsonObject? Template(string name)
    {
        lock (_gate)
        {
            return _templates.TryGetValue(name, out var body) ? (JsonObject)body.DeepClone() : null;
        }
    }

    public void PutTemplate(string name, string body)
    {
        lock (_gate)
        {
            _templates[name] = JsonNode.Parse(body)!.AsObject();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await StopAsync();
        }
    }

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (_certificate is not null)
            {
                listen.UseHttps(_certificate);
            }
        }));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
        string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Uri = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var copy = new MemoryStream();
        // Like Elasticsearch, accept gzip request bodies (the client compresses by default).
        bool gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        await using (var input = gzip ? new System.IO.Compression.GZipStream(request.Body, System.IO.Compression.CompressionMode.Decompress) : request.Body)
        {
            await input.CopyToAsync(copy);
        }

        byte[] body = copy.ToArray();
        string path = request.Path.Value ?? "/";
        (int status, JsonNode? answer) = Handle(request.Method, path, request.Headers.Authorization.ToString(), request.ContentType, body, gzip);
        context.Response.StatusCode = status;
        if (ProductHeader is not null)
        {
            context.Response.Headers["X-Elastic-Product"] = ProductHeader;
        }

        if (answer is not null && request.Method != "HEAD")
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer.ToJsonString()));
        }
    }

    private (int, JsonNode?) Handle(string method, string path, string authorization, string? contentType, byte[] body, bool gzip)
    {
        lock (_gate)
        {
            _requests.Add(new RecordedRequest(method, path, authorization, contentType, body, gzip));
            if (RequiredAuthorization is not null && authorization != RequiredAuthorization)
            {
                return Error(401, "security_exception", "unable to authenticate user");
            }

            if (AnswerEveryRequest is { } status)
            {
                return Error(status, "cluster_block_exception", "injected: the cluster cannot serve requests");
            }

            string[] segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            try
            {
                return (method, segments) switch
                {
                    ("GET" or "HEAD", []) => (200, new JsonObject
                    {
                        ["name"] = "fake-node",
                        ["cluster_name"] = "fake",
                        ["version"] = new JsonObject { ["number"] = "9.1.0", ["build_flavor"] = "default" },
                        ["tagline"] = "You Know, for Search",
                    }),
                    ("HEAD" or "GET", ["_index_template", var name]) => _templates.TryGetValue(name, out var template)
                        ? (200, new JsonObject { ["index_templates"] = new JsonArray(new JsonObject { ["name"] = name, ["index_template"] = template.DeepClone() }) })
                        : Error(404, "resource_not_found_exception", $"index template matching [{name}] not found"),
                    ("PUT" or "POST", ["_index_template", var name]) => PutTemplate(name, body),
                    ("POST" or "PUT", ["_bulk"]) => Bulk(null, body),
                    ("POST" or "PUT", [var index, "_bulk"]) => Bulk(index, body),
                    ("GET" or "POST", [var index, "_count"]) => Read(index, body, count: true),
                    ("GET" or "POST", [var index, "_search"]) => Read(index, body, count: false),
                    _ => Error(400, "illegal_argument_exception", $"the fake does not serve {method} {path}"),
                };
            }
            catch (Exception e) when (e is JsonException or FormatException or NotSupportedException or InvalidOperationException or KeyNotFoundException)
            {
                return Error(400, "parsing_exception", e.Message);
            }
        }
    }

    private (int, JsonNode?) PutTemplate(string name, byte[] body)
    {
        if (RejectTemplate is not null)
        {
            return Error(400, "illegal_argument_exception", RejectTemplate);
        }

        var template = JsonNode.Parse(body)!.AsObject();
        if (template["index_patterns"] is not JsonArray || template["template"] is not JsonObject)
        {
            return Error(400, "action_request_validation_exception", "Validation Failed: 1: index patterns are missing;");
        }

        _templates[name] = template;
        return (200, new JsonObject { ["acknowledged"] = true });
    }

    private (int, JsonNode?) Bulk(string? pathIndex, byte[] body)
    {
        _bulkRequests++;
        if (BulkRequestFailure(_bulkRequests) is { } failure)
        {
            return Error(failure, failure == 429 ? "es_rejected_execution_exception" : "unavailable_shards_exception", "injected: the node is busy");
        }

        var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length % 2 != 0)
        {
            return Error(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]");
        }

        var items = new JsonArray();
        bool errors = false;
        for (int i = 0; i < lines.Length; i += 2)
        {
            var action = JsonNode.Parse(lines[i])!.AsObject();
            var (verb, meta) = action.Single();
            if (verb != "index")
            {
                throw new NotSupportedException($"bulk action {verb}");
            }

            string index = meta!["_index"]?.GetValue<string>() ?? pathIndex ?? throw new FormatException("bulk item without _index");
            string id = meta["_id"]?.GetValue<string>() ?? throw new FormatException("the fake needs an _id on each bulk item");
            var source = JsonNode.Parse(lines[i + 1])!.AsObject();
            var item = ItemResult(index, id, source);
            errors |= item["status"]!.GetValue<int>() >= 300;
            items.Add(new JsonObject { [verb] = item });
        }

        return (200, new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items });
    }

    private JsonObject ItemResult(string index, string id, JsonObject source)
    {
        int attempt = _received[id] = _received.GetValueOrDefault(id) + 1;
        var item = new JsonObject { ["_index"] = index, ["_id"] = id };
        JsonObject? error = null;
        int status;
        if (RejectItem(id) is { } reason)
        {
            status = 400;
            error = new JsonObject
            {
                ["type"] = "mapper_parsing_exception",
                ["reason"] = reason,
                ["caused_by"] = new JsonObject { ["type"] = "number_format_exception", ["reason"] = "For input string: \"n/a\"" },
            };
        }
        else if (ItemFailure(id, attempt) is { } failure)
        {
            status = failure;
            error = new JsonObject
            {
                ["type"] = failure == 429 ? "es_rejected_execution_exception" : "unavailable_shards_exception",
                ["reason"] = "injected item failure",
            };
        }
        else
        {
            if (!_indices.TryGetValue(index, out var target))
            {
                _indices[index] = target = new FakeIndex(FakeMapping.For(index, _templates.Values));
            }

            if (target.Mapping.Check(source) is { } mappingError)
            {
                status = 400;
                error = new JsonObject { ["type"] = mappingError.Type, ["reason"] = mappingError.Reason };
            }
            else
            {
                bool existed = target.Documents.ContainsKey(id);
                target.Documents[id] = source;
                _stored[id] = _stored.GetValueOrDefault(id) + 1;
                status = existed ? 200 : 201;
                item["result"] = existed ? "updated" : "created";
            }
        }

        item["status"] = status;
        if (error is not null)
        {
            item["error"] = error;
        }

        return item;
    }

    private (int, JsonNode?) Read(string index, byte[] body, bool count)
    {
        if (!_indices.TryGetValue(index, out var target))
        {
            return Error(404, "index_not_found_exception", $"no such index [{index}]");
        }

        var request = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!.AsObject();
        var search = new FakeSearch(target);
        return count ? (200, search.Count(request)) : (200, search.Search(request));
    }

    private static (int, JsonNode?) Error(int status, string type, string reason) => (status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["root_cause"] = new JsonArray(new JsonObject { ["type"] = type, ["reason"] = reason }),
            ["type"] = type,
            ["reason"] = reason,
        },
        ["status"] = status,
    });
}

/// <summary>One request the fake received; Body is after gzip decoding.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Authorization, string? ContentType, byte[] Body, bool Gzip);

/// <summary>The documents of one index and the mapping they are checked against.</summary>
internal sealed class FakeIndex(FakeMapping mapping)
{
    public FakeMapping Mapping { get; } = mapping;

    public Dictionary<string, JsonObject> Documents { get; } = new(StringComparer.Ordinal);
}
