using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datastream.Warehouse.BigQuery;

/// <summary>
/// A minimal BigQuery REST v2 client (no .NET BigQuery client is available): jobs.query, then jobs.getQueryResults
/// until the job is complete and while a <c>pageToken</c> is returned. HTTP errors become <see cref="BigQueryException"/>.
/// </summary>
public sealed class BigQueryRestClient : IDisposable
{
    /// <summary>The public endpoint; tests pass a local one.</summary>
    public static readonly Uri DefaultBaseUri = new("https://bigquery.googleapis.com/bigquery/v2/");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUri;
    private readonly string _projectId;
    private readonly string _location;
    private readonly Func<CancellationToken, Task<string?>> _tokenSource;
    private readonly TimeSpan _waitPerCall;
    private readonly TimeSpan _pollDelay;

    /// <param name="projectId">The project the jobs run in.</param>
    /// <param name="location">The jobs' location, e.g. "US" or "europe-west1".</param>
    /// <param name="tokenSource">An OAuth2 access token per request, or null to send no Authorization header.</param>
    /// <param name="baseUri">The API root, default <see cref="DefaultBaseUri"/>.</param>
    /// <param name="waitPerCall">timeoutMs sent with each call: how long the server may wait for completion.</param>
    /// <param name="pollDelay">Pause between getQueryResults polls of an incomplete job.</param>
    /// <param name="http">A shared HttpClient (not disposed here); null creates one.</param>
    public BigQueryRestClient(
        string projectId,
        string location,
        Func<CancellationToken, Task<string?>> tokenSource,
        Uri? baseUri = null,
        TimeSpan? waitPerCall = null,
        TimeSpan? pollDelay = null,
        HttpClient? http = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentNullException.ThrowIfNull(tokenSource);
        _projectId = projectId;
        _location = location;
        _tokenSource = tokenSource;
        var root = (baseUri ?? DefaultBaseUri).ToString();
        _baseUri = new Uri(root.EndsWith('/') ? root : root + "/");
        _waitPerCall = waitPerCall ?? TimeSpan.FromSeconds(10);
        _pollDelay = pollDelay ?? TimeSpan.FromMilliseconds(500);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri BaseUri => _baseUri;

    /// <summary>Runs one GoogleSQL statement and returns every row of its result (empty for DDL).</summary>
    public async Task<BigQueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var body = new JsonObject
        {
            ["query"] = sql,
            ["useLegacySql"] = false,
            ["timeoutMs"] = (long)_waitPerCall.TotalMilliseconds,
            ["location"] = _location,
        };
        var response = await SendAsync(HttpMethod.Post, $"projects/{Uri.EscapeDataString(_projectId)}/queries", body, jobId: null, cancellationToken).ConfigureAwait(false);
        var jobId = response["jobReference"]?["jobId"]?.GetValue<string>()
            ?? throw new BigQueryException(null, "invalidResponse", "jobs.query returned no jobReference.jobId.", null);
        var location = response["jobReference"]?["location"]?.GetValue<string>() ?? _location;

        while (response["jobComplete"]?.GetValue<bool>() != true)
        {
            await Task.Delay(_pollDelay, cancellationToken).ConfigureAwait(false);
            response = await GetResultsAsync(jobId, location, pageToken: null, cancellationToken).ConfigureAwait(false);
        }

        var fields = new List<string>();
        foreach (var field in response["schema"]?["fields"]?.AsArray() ?? [])
        {
            fields.Add(field?["name"]?.GetValue<string>() ?? "");
        }

        var rows = new List<IReadOnlyList<string?>>();
        AddRows(response, rows);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var token = PageToken(response); token is not null; token = PageToken(response))
        {
            if (!seen.Add(token))
            {
                throw new BigQueryException(jobId, "invalidResponse", $"page token '{token}' repeated.", null);
            }

            response = await GetResultsAsync(jobId, location, token, cancellationToken).ConfigureAwait(false);
            AddRows(response, rows);
        }
        return new BigQueryResult(jobId, fields, rows);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private Task<JsonObject> GetResultsAsync(string jobId, string location, string? pageToken, CancellationToken cancellationToken)
    {
        var path = $"projects/{Uri.EscapeDataString(_projectId)}/queries/{Uri.EscapeDataString(jobId)}"
            + $"?location={Uri.EscapeDataString(location)}&timeoutMs={(long)_waitPerCall.TotalMilliseconds}";
        if (pageToken is not null)
        {
            path += "&pageToken=" + Uri.EscapeDataString(pageToken);
        }

        return SendAsync(HttpMethod.Get, path, body: null, jobId, cancellationToken);
    }

    private static string? PageToken(JsonObject response) =>
        response["pageToken"]?.GetValue<string>() is { Length: > 0 } token ? token : null;

    private static void AddRows(JsonObject response, List<IReadOnlyList<string?>> rows)
    {
        foreach (var row in response["rows"]?.AsArray() ?? [])
        {
            var cells = new List<string?>();
            foreach (var cell in row?["f"]?.AsArray() ?? [])
            {
                var v = cell?["v"];
                cells.Add(v is null ? null : v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString());
            }
            rows.Add(cells);
        }
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string relative, JsonObject? body, string? jobId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var token = await _tokenSource(cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException) when (!response.IsSuccessStatusCode)
        {
            // An error page that is not JSON: reported below with its status.
        }
        if (!response.IsSuccessStatusCode || json?["error"] is not null)
        {
            var error = json?["error"];
            var reason = error?["errors"]?.AsArray().Select(e => e?["reason"]?.GetValue<string>()).FirstOrDefault(r => r is not null);
            var message = error?["message"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            throw new BigQueryException(jobId, reason, message, response.StatusCode);
        }
        return json as JsonObject ?? throw new BigQueryException(jobId, "invalidResponse", "response is not a JSON object.", response.StatusCode);
    }
}
