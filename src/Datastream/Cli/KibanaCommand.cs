using System.CommandLine;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Datastream.Cli;

/// <summary>
/// `datastream kibana import`: loads the repository's Kibana saved objects (data view, Lens panels, map, dashboard of
/// deploy/kibana/datastream.ndjson, embedded in this assembly) through Kibana's saved objects import API.
/// Credentials come only from the environment (KIBANA_API_KEY, or KIBANA_USERNAME with KIBANA_PASSWORD, or their
/// *_FILE forms), never from an option that would end up in shell history or a process list.
/// </summary>
public static class KibanaCommand
{
    /// <summary>The embedded copy of deploy/kibana/datastream.ndjson (linked in Datastream.csproj, one file in the repository).</summary>
    public const string SavedObjectsResource = "Datastream.Kibana.datastream.ndjson";

    /// <summary>How long one import may take; a few saved objects import in well under a second on a healthy Kibana.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "Kibana's base URL, e.g. http://localhost:5601 (default: KIBANA_URL)" };
        var file = new Option<string?>("--file") { Description = "An NDJSON export to import instead of Datastream's built-in saved objects" };
        var space = new Option<string?>("--space") { Description = "Kibana space id (default: the default space)" };
        var import = new Command("import", "Import the rides data view, visualizations and dashboard into Kibana (overwrites objects with the same ids)") { url, file, space };
        import.SetAction(async (parse, cancellation) =>
        {
            var request = ImportRequest.From(parse.GetValue(url), parse.GetValue(file), parse.GetValue(space), Configuration.ProcessEnvironment.Variables());
            return await ImportAsync(request, Console.Out, Console.Error, cancellation);
        });
        return new Command("kibana", "Kibana saved objects for Elasticsearch users") { import };
    }

    /// <summary>The built-in saved objects, as shipped in the assembly.</summary>
    public static byte[] BuiltInSavedObjects()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(SavedObjectsResource)
            ?? throw new InvalidOperationException($"resource {SavedObjectsResource} is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Posts the NDJSON and reports Kibana's answer: exit 0 when every object imported, 1 otherwise.</summary>
    internal static async Task<int> ImportAsync(ImportRequest request, TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = RequestTimeout };
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Endpoint) { Content = MultipartFile(request.Ndjson, request.FileName) };
        // Kibana refuses state-changing API calls without this header (its CSRF protection).
        message.Headers.Add("kbn-xsrf", "true");
        if (request.Authorization is { } authorization)
        {
            message.Headers.Authorization = authorization;
        }

        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(message, cancellation);
            body = await response.Content.ReadAsStringAsync(cancellation);
        }
        catch (HttpRequestException e)
        {
            await errors.WriteLineAsync($"error: Kibana at {request.BaseUrl} is unreachable: {e.Message}");
            return DatastreamCli.RuntimeFailure;
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            await errors.WriteLineAsync($"error: Kibana at {request.BaseUrl} did not answer within {RequestTimeout.TotalSeconds:0} s");
            return DatastreamCli.RuntimeFailure;
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                await errors.WriteLineAsync($"error: Kibana answered {(int)response.StatusCode} {response.ReasonPhrase} to {request.Endpoint.AbsolutePath}: {ErrorMessage(body)}");
                return DatastreamCli.RuntimeFailure;
            }

            return await ReportAsync(body, request, output, errors);
        }
    }

    private static async Task<int> ReportAsync(string body, ImportRequest request, TextWriter output, TextWriter errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await errors.WriteLineAsync($"error: Kibana at {request.BaseUrl} answered with something that is not JSON: {OneLine(body, 200)}");
            return DatastreamCli.RuntimeFailure;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                await errors.WriteLineAsync($"error: Kibana's answer has no 'success' field: {OneLine(body, 200)}");
                return DatastreamCli.RuntimeFailure;
            }

            int imported = root.TryGetProperty("successCount", out var count) && count.TryGetInt32(out int n) ? n : 0;
            var failures = root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
            foreach (var failure in failures)
            {
                await errors.WriteLineAsync($"error: {DescribeFailure(failure)}");
            }

            string where = request.Space is null ? request.BaseUrl : $"{request.BaseUrl} (space {request.Space})";
            if (success.ValueKind == JsonValueKind.True && failures.Count == 0)
            {
                await output.WriteLineAsync($"imported {imported} saved objects from {request.FileName} into Kibana at {where}");
                return DatastreamCli.Success;
            }

            await output.WriteLineAsync($"imported {imported} saved objects from {request.FileName} into Kibana at {where}; {failures.Count} failed");
            return DatastreamCli.RuntimeFailure;
        }
    }

    /// <summary>One line per object Kibana refused: which object, and why (conflict, missing references, unsupported type...).</summary>
    private static string DescribeFailure(JsonElement failure)
    {
        string type = Text(failure, "type") ?? "object";
        string id = Text(failure, "id") ?? "?";
        string? title = Text(failure, "title") ?? (failure.TryGetProperty("meta", out var meta) ? Text(meta, "title") : null);
        string what = title is null ? $"{type} {id}" : $"{type} {id} ({title})";
        if (!failure.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return $"{what}: not imported";
        }

        string reason = Text(error, "type") ?? "unknown";
        var details = new List<string>();
        if (Text(error, "message") is { } text)
        {
            details.Add(text);
        }

        if (error.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array)
        {
            details.Add("missing " + string.Join(", ", references.EnumerateArray().Select(r => $"{Text(r, "type")} {Text(r, "id")}")));
        }

        return details.Count == 0 ? $"{what}: {reason}" : $"{what}: {reason}: {OneLine(string.Join("; ", details), 300)}";
    }

    /// <summary>Kibana's error body is {"statusCode","error","message"}; anything else is shown as it came.</summary>
    private static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && Text(document.RootElement, "message") is { } message)
            {
                return OneLine(message, 300);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): show its start below.
        }

        return body.Length == 0 ? "(empty body)" : OneLine(body, 200);
    }

    private static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string OneLine(string text, int max)
    {
        string line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= max ? line : line[..max] + "…";
    }

    /// <summary>The multipart body Kibana's import route reads: one part named `file` whose file name ends in .ndjson.</summary>
    private static MultipartFormDataContent MultipartFile(byte[] ndjson, string fileName)
    {
        string boundary = "datastream-" + Guid.NewGuid().ToString("N");
        var content = new MultipartFormDataContent(boundary);
        // .NET quotes the boundary parameter; some multipart parsers take the quotes as part of it, so send it bare
        // (a UUID-based boundary needs no quoting).
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        var part = new ByteArrayContent(ndjson);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
        // Written by hand: the default adds filename*=utf-8''..., and Kibana checks the plain filename's extension.
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = $"\"{fileName}\"" };
        content.Add(part);
        return content;
    }

    /// <summary>Everything one import needs, resolved and validated from the options and the environment.</summary>
    internal sealed record ImportRequest(string BaseUrl, string? Space, Uri Endpoint, byte[] Ndjson, string FileName, AuthenticationHeaderValue? Authorization)
    {
        public static ImportRequest From(string? urlOption, string? file, string? space, IReadOnlyDictionary<string, string?> environment)
        {
            string url = urlOption ?? Get(environment, "KIBANA_URL") ?? throw new UsageException("kibana import: --url (or KIBANA_URL) is required, e.g. --url http://localhost:5601");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"--url: '{url}' is not an http or https URL");
            }

            // Space ids are lowercase letters, digits, '_' and '-' (Kibana's rule); anything else would change the path.
            if (space is not null && (space.Length == 0 || !space.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-')))
            {
                throw new UsageException($"--space: '{space}' is not a Kibana space id (lowercase letters, digits, '_' and '-')");
            }

            string basePath = baseUri.AbsolutePath.TrimEnd('/');
            string path = space is null or "default" ? $"{basePath}/api/saved_objects/_import" : $"{basePath}/s/{space}/api/saved_objects/_import";
            var endpoint = new UriBuilder(baseUri) { Path = path, Query = "overwrite=true" }.Uri;

            byte[] ndjson;
            string fileName;
            if (file is null)
            {
                ndjson = BuiltInSavedObjects();
                fileName = "datastream.ndjson";
            }
            else
            {
                if (!File.Exists(file))
                {
                    throw new UsageException($"--file: file '{file}' does not exist");
                }

                ndjson = File.ReadAllBytes(file);
                // Kibana accepts only a file named *.ndjson, whatever the local name was.
                fileName = Path.GetExtension(file).Equals(".ndjson", StringComparison.OrdinalIgnoreCase) ? Path.GetFileName(file) : Path.GetFileNameWithoutExtension(file) + ".ndjson";
            }

            return new ImportRequest(baseUri.GetLeftPart(UriPartial.Authority) + basePath, space, endpoint, ndjson, fileName, Credentials(environment));
        }

        /// <summary>An API key, or a user and password; both at once is ambiguous and refused rather than guessed.</summary>
        private static AuthenticationHeaderValue? Credentials(IReadOnlyDictionary<string, string?> environment)
        {
            string? apiKey = Secret(environment, "KIBANA_API_KEY");
            string? user = Get(environment, "KIBANA_USERNAME");
            string? password = Secret(environment, "KIBANA_PASSWORD");
            if (apiKey is not null)
            {
                return user is null && password is null
                    ? new AuthenticationHeaderValue("ApiKey", apiKey)
                    : throw new UsageException("set either KIBANA_API_KEY or KIBANA_USERNAME and KIBANA_PASSWORD, not both");
            }

            if (user is null && password is null)
            {
                return null;
            }

            if (user is null || password is null)
            {
                throw new UsageException("KIBANA_USERNAME and KIBANA_PASSWORD (or KIBANA_PASSWORD_FILE) go together");
            }

            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        /// <summary>NAME, or the content of the file NAME_FILE points at (Docker and Kubernetes secrets), trailing newline removed.</summary>
        private static string? Secret(IReadOnlyDictionary<string, string?> environment, string name)
        {
            if (Get(environment, name) is { } value)
            {
                return value;
            }

            if (Get(environment, name + "_FILE") is not { } path)
            {
                return null;
            }

            return File.Exists(path)
                ? File.ReadAllText(path).TrimEnd('\r', '\n')
                : throw new UsageException($"{name}_FILE: file '{path}' does not exist");
        }

        private static string? Get(IReadOnlyDictionary<string, string?> environment, string name)
            => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
    }
}
