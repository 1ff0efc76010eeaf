using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Datastream.Lake.Tests;

/// <summary>
/// A local stand-in for the GCS JSON API, enough for the lake: resumable uploads (initiate, then one or more PUTs
/// with Content-Range), objects.list with pagination, objects.get (metadata or alt=media, with Range), objects.delete,
/// objects.rewrite (a copy, done in one call).
/// Requests are checked as the real API would (method, path, required query parameters, Content-Range syntax) and
/// answered with its JSON shapes and error envelope. An object becomes visible only when its upload completes.
/// Writes can be made to fail (<see cref="FailWrites"/>): a chunk then keeps part of its bytes, as a connection cut
/// mid-transfer does, and the answer is an error.
/// </summary>
internal sealed class FakeGcsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingUpload> _uploads = [];
    private long _generation = 1_700_000_000_000_000;
    private int _gzipBodies;
    private int _failedWrites;

    public FakeGcsServer(string bucket, int pageSize = 3)
    {
        Bucket = bucket;
        PageSize = pageSize;
        var port = FreePort();
        Root = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Root);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Bucket { get; }

    /// <summary>Most items per list page, kept small so that clients must follow nextPageToken.</summary>
    public int PageSize { get; }

    public string Root { get; }

    /// <summary>The JSON API base for StorageService: &lt;root&gt;storage/v1/.</summary>
    public string JsonApiBase => Root + "storage/v1/";

    /// <summary>"METHOD path?query" of every request, for tests that check what the client did.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public IReadOnlyList<string> ObjectNames
    {
        get
        {
            lock (_gate)
            {
                return _objects.Keys.ToArray();
            }
        }
    }

    public byte[] Content(string name)
    {
        lock (_gate)
        {
            return _objects[name].Data;
        }
    }

    /// <summary>Request bodies that came gzip-encoded.</summary>
    public int GzipBodies => Volatile.Read(ref _gzipBodies);

    /// <summary>
    /// While set, every upload request (chunks and status queries) and every rewrite (the copy that publishes a file) is
    /// answered with this status (503: the service is unavailable); a chunk keeps the first half of its bytes first.
    /// </summary>
    public int? FailWrites { get; set; }

    /// <summary>Requests answered with <see cref="FailWrites"/>'s status.</summary>
    public int FailedWrites => Volatile.Read(ref _failedWrites);

    public int PendingUploads
    {
        get
        {
            lock (_gate)
            {
                return _uploads.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop first removed the endpoint, and Close then bound the port again to remove it a second time,
        // failing with "address already in use" when another listener had taken the port meanwhile.
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var raw = request.RawUrl ?? "/";
            Requests.Enqueue($"{request.HttpMethod} {raw}");
            var question = raw.IndexOf('?');
            var path = question < 0 ? raw : raw[..question];
            var query = ParseQuery(question < 0 ? "" : raw[(question + 1)..]);
            var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
            var body = await ReadBodyAsync(request).ConfigureAwait(false);

            // upload/storage/v1/b/{bucket}/o
            if (segments is ["upload", "storage", "v1", "b", var uploadBucket, "o"])
            {
                if (!CheckBucket(response, uploadBucket))
                {
                    return;
                }

                if (query.GetValueOrDefault("uploadType") != "resumable")
                {
                    await ErrorAsync(response, 400, "invalid", $"Unsupported uploadType '{query.GetValueOrDefault("uploadType")}'.").ConfigureAwait(false);
                    return;
                }

                if (request.HttpMethod == "POST" && !query.ContainsKey("upload_id"))
                {
                    await StartUploadAsync(request, response, query, body).ConfigureAwait(false);
                }
                else if (request.HttpMethod == "PUT" && query.TryGetValue("upload_id", out var uploadId))
                {
                    if (FailWrites is { } status)
                    {
                        await FailChunkAsync(request, response, uploadId, body, status).ConfigureAwait(false);
                        return;
                    }

                    await ContinueUploadAsync(request, response, uploadId, body).ConfigureAwait(false);
                }
                else
                {
                    await ErrorAsync(response, 405, "methodNotAllowed", "Method not allowed for an upload.").ConfigureAwait(false);
                }

                return;
            }

            // storage/v1/b/{bucket}/o
            if (segments is ["storage", "v1", "b", var listBucket, "o"])
            {
                if (!CheckBucket(response, listBucket))
                {
                    return;
                }

                if (request.HttpMethod != "GET")
                {
                    await ErrorAsync(response, 405, "methodNotAllowed", "Only GET lists objects here.").ConfigureAwait(false);
                    return;
                }

                await ListAsync(response, query).ConfigureAwait(false);
                return;
            }

            // storage/v1/b/{bucket}/o/{source}/rewriteTo/b/{bucket}/o/{destination} (objects.rewrite, what a copy sends)
            if (segments is ["storage", "v1", "b", var fromBucket, "o", var source, "rewriteTo", "b", var toBucket, "o", var destination])
            {
                if (!CheckBucket(response, fromBucket) || !CheckBucket(response, toBucket))
                {
                    return;
                }

                if (request.HttpMethod != "POST")
                {
                    await ErrorAsync(response, 405, "methodNotAllowed", "Only POST rewrites an object.").ConfigureAwait(false);
                    return;
                }

                if (FailWrites is { } status)
                {
                    Interlocked.Increment(ref _failedWrites);
                    await ErrorAsync(response, status, "backendError", "injected: the service is unavailable").ConfigureAwait(false);
                    return;
                }

                await RewriteAsync(response, source, destination).ConfigureAwait(false);
                return;
            }

            // storage/v1/b/{bucket}/o/{object} (the name is one escaped segment; tolerate raw slashes too)
            if (segments.Length >= 6 && segments[0] == "storage" && segments[1] == "v1" && segments[2] == "b" && segments[4] == "o")
            {
                if (!CheckBucket(response, segments[3]))
                {
                    return;
                }

                var name = string.Join('/', segments[5..]);
                switch (request.HttpMethod)
                {
                    case "GET" when query.GetValueOrDefault("alt") == "media":
                        await DownloadAsync(request, response, name).ConfigureAwait(false);
                        return;
                    case "GET" when query.GetValueOrDefault("alt", "json") == "json":
                        await GetMetadataAsync(response, name).ConfigureAwait(false);
                        return;
                    case "GET":
                        await ErrorAsync(response, 400, "invalidParameter", $"Invalid alt '{query["alt"]}'.").ConfigureAwait(false);
                        return;
                    case "DELETE":
                        await DeleteAsync(response, name).ConfigureAwait(false);
                        return;
                    default:
                        await ErrorAsync(response, 405, "methodNotAllowed", $"{request.HttpMethod} is not supported on an object.").ConfigureAwait(false);
                        return;
                }
            }

            await ErrorAsync(response, 404, "notFound", $"Not Found: {path}").ConfigureAwait(false);
        }
        catch (Exception e)
        {
            try
            {
                await ErrorAsync(response, 500, "backendError", e.Message).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private bool CheckBucket(HttpListenerResponse response, string bucket)
    {
        if (bucket == Bucket)
        {
            return true;
        }

        _ = ErrorAsync(response, 404, "notFound", "The specified bucket does not exist.");
        return false;
    }

    private async Task StartUploadAsync(HttpListenerRequest request, HttpListenerResponse response, Dictionary<string, string> query, byte[] body)
    {
        // The object's name comes from the name parameter or the JSON metadata in the body (the .NET client sends the latter).
        string? name = query.GetValueOrDefault("name");
        string? contentType = request.Headers["X-Upload-Content-Type"];
        if (body.Length > 0)
        {
            if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                await ErrorAsync(response, 400, "invalid", "Upload metadata must be application/json.").ConfigureAwait(false);
                return;
            }

            var metadata = JsonNode.Parse(body)!.AsObject();
            name ??= (string?)metadata["name"];
            contentType ??= (string?)metadata["contentType"];
            if (metadata["bucket"] is { } b && (string?)b != Bucket)
            {
                await ErrorAsync(response, 400, "invalid", "Metadata bucket does not match the path.").ConfigureAwait(false);
                return;
            }
        }

        if (string.IsNullOrEmpty(name))
        {
            await ErrorAsync(response, 400, "required", "Required parameter: name").ConfigureAwait(false);
            return;
        }

        var uploadId = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _uploads[uploadId] = new PendingUpload(name, contentType ?? "application/octet-stream", new MemoryStream());
        }

        response.StatusCode = 200;
        response.Headers["Location"] = $"{Root}upload/storage/v1/b/{Uri.EscapeDataString(Bucket)}/o?uploadType=resumable&upload_id={uploadId}";
        response.ContentLength64 = 0;
        response.Close();
    }

    private async Task ContinueUploadAsync(HttpListenerRequest request, HttpListenerResponse response, string uploadId, byte[] body)
    {
        PendingUpload? upload;
        lock (_gate)
        {
            _uploads.TryGetValue(uploadId, out upload);
        }

        if (upload is null)
        {
            await ErrorAsync(response, 404, "notFound", "No such upload session.").ConfigureAwait(false);
            return;
        }

        // Content-Range: "bytes first-last/total", "bytes first-last/*" (more to come) or "bytes */total" (status query / empty object).
        var range = request.Headers["Content-Range"];
        if (range is null || !ContentRange.TryParse(range, out var first, out var last, out var total))
        {
            await ErrorAsync(response, 400, "invalid", $"Bad Content-Range '{range}'.").ConfigureAwait(false);
            return;
        }

        StoredObject? completed = null;
        bool misplaced = false;
        long received;
        lock (_gate)
        {
            // A chunk must start where the previous one ended and carry exactly the bytes its range announces.
            if (first is not null)
            {
                misplaced = first != upload.Data.Length || last - first + 1 != body.Length;
                if (!misplaced)
                {
                    upload.Data.Write(body);
                }
            }

            received = upload.Data.Length;
            if (!misplaced && total is not null && received == total)
            {
                completed = Store(upload);
                _uploads.Remove(uploadId);
            }
        }

        if (misplaced)
        {
            await ErrorAsync(response, 400, "invalid", $"Chunk {range} does not follow the {received} bytes received.").ConfigureAwait(false);
            return;
        }

        if (completed is not null)
        {
            await JsonAsync(response, 200, ObjectJson(completed)).ConfigureAwait(false);
            return;
        }

        // 308 "Resume Incomplete": tells the client how much is persisted.
        response.StatusCode = 308;
        if (received > 0)
        {
            response.Headers["Range"] = $"bytes=0-{received - 1}";
        }

        response.ContentLength64 = 0;
        response.Close();
    }

    /// <summary>A chunk cut mid-transfer: the first half of its bytes is persisted (when it follows what came before), then an error.</summary>
    private async Task FailChunkAsync(HttpListenerRequest request, HttpListenerResponse response, string uploadId, byte[] body, int status)
    {
        Interlocked.Increment(ref _failedWrites);
        lock (_gate)
        {
            if (_uploads.TryGetValue(uploadId, out var upload) && request.Headers["Content-Range"] is { } range
                && ContentRange.TryParse(range, out var first, out _, out _) && first == upload.Data.Length)
            {
                upload.Data.Write(body.AsSpan(0, body.Length / 2));
            }
        }

        await ErrorAsync(response, status, "backendError", "injected: the upload was cut off").ConfigureAwait(false);
    }

    private StoredObject Store(PendingUpload upload)
    {
        var data = upload.Data.ToArray();
        var stored = new StoredObject(upload.Name, upload.ContentType, data, ++_generation, DateTime.UtcNow);
        _objects[upload.Name] = stored;
        return stored;
    }

    private async Task ListAsync(HttpListenerResponse response, Dictionary<string, string> query)
    {
        var prefix = query.GetValueOrDefault("prefix", "");
        var pageSize = PageSize;
        if (query.TryGetValue("maxResults", out var max))
        {
            if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var requested) || requested < 1)
            {
                await ErrorAsync(response, 400, "invalidParameter", $"Invalid maxResults '{max}'.").ConfigureAwait(false);
                return;
            }

            pageSize = Math.Min(pageSize, requested);
        }

        // The page token is opaque to clients; here it is the last name of the previous page.
        var after = query.TryGetValue("pageToken", out var token) ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
        List<StoredObject> page;
        bool more;
        lock (_gate)
        {
            var matching = _objects.Values
                .Where(o => o.Name.StartsWith(prefix, StringComparison.Ordinal))
                .Where(o => after is null || string.CompareOrdinal(o.Name, after) > 0)
                .Take(pageSize + 1)
                .ToList();
            more = matching.Count > pageSize;
            page = matching.Take(pageSize).ToList();
        }

        var result = new JsonObject { ["kind"] = "storage#objects" };
        if (page.Count > 0)
        {
            result["items"] = new JsonArray(page.Select(o => (JsonNode)ObjectJson(o)).ToArray());
        }

        if (more)
        {
            result["nextPageToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Name));
        }

        await JsonAsync(response, 200, result).ConfigureAwait(false);
    }

    private async Task GetMetadataAsync(HttpListenerResponse response, string name)
    {
        var stored = Find(name);
        if (stored is null)
        {
            await ErrorAsync(response, 404, "notFound", $"No such object: {Bucket}/{name}").ConfigureAwait(false);
        }
        else
        {
            await JsonAsync(response, 200, ObjectJson(stored)).ConfigureAwait(false);
        }
    }

    private async Task DownloadAsync(HttpListenerRequest request, HttpListenerResponse response, string name)
    {
        var stored = Find(name);
        if (stored is null)
        {
            await ErrorAsync(response, 404, "notFound", $"No such object: {Bucket}/{name}").ConfigureAwait(false);
            return;
        }

        var data = stored.Data;
        long from = 0, to = data.Length - 1;
        var range = request.Headers["Range"];
        if (range is not null)
        {
            if (!ByteRange.TryParse(range, data.Length, out from, out to))
            {
                response.Headers["Content-Range"] = $"bytes */{data.Length}";
                await ErrorAsync(response, 416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.").ConfigureAwait(false);
                return;
            }

            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{to}/{data.Length}";
        }
        else
        {
            response.StatusCode = 200;
        }

        response.ContentType = stored.ContentType;
        response.Headers["x-goog-hash"] = $"crc32c={Crc32C.ToBase64(data)},md5={Convert.ToBase64String(MD5.HashData(data))}";
        response.Headers["x-goog-generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture);
        var length = (int)(to - from + 1);
        response.ContentLength64 = length;
        await response.OutputStream.WriteAsync(data.AsMemory((int)from, length)).ConfigureAwait(false);
        response.Close();
    }

    /// <summary>objects.rewrite in one call (done: true), as GCS answers a copy within a bucket and location.</summary>
    private async Task RewriteAsync(HttpListenerResponse response, string source, string destination)
    {
        StoredObject? copy = null;
        lock (_gate)
        {
            if (_objects.TryGetValue(source, out var original))
            {
                copy = original with { Name = destination, Generation = ++_generation, Created = DateTime.UtcNow };
                _objects[destination] = copy;
            }
        }

        if (copy is null)
        {
            await ErrorAsync(response, 404, "notFound", $"No such object: {Bucket}/{source}").ConfigureAwait(false);
            return;
        }

        var size = copy.Data.Length.ToString(CultureInfo.InvariantCulture);
        await JsonAsync(response, 200, new JsonObject
        {
            ["kind"] = "storage#rewriteResponse",
            ["totalBytesRewritten"] = size,
            ["objectSize"] = size,
            ["done"] = true,
            ["resource"] = ObjectJson(copy),
        }).ConfigureAwait(false);
    }

    private async Task DeleteAsync(HttpListenerResponse response, string name)
    {
        bool removed;
        lock (_gate)
        {
            removed = _objects.Remove(name);
        }

        if (!removed)
        {
            await ErrorAsync(response, 404, "notFound", $"No such object: {Bucket}/{name}").ConfigureAwait(false);
            return;
        }

        response.StatusCode = 204;
        response.Close();
    }

    private StoredObject? Find(string name)
    {
        lock (_gate)
        {
            return _objects.GetValueOrDefault(name);
        }
    }

    private JsonObject ObjectJson(StoredObject o)
    {
        var escaped = Uri.EscapeDataString(o.Name);
        var generation = o.Generation.ToString(CultureInfo.InvariantCulture);
        var time = o.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["kind"] = "storage#object",
            ["id"] = $"{Bucket}/{o.Name}/{generation}",
            ["selfLink"] = $"{JsonApiBase}b/{Bucket}/o/{escaped}",
            ["mediaLink"] = $"{Root}download/storage/v1/b/{Bucket}/o/{escaped}?generation={generation}&alt=media",
            ["name"] = o.Name,
            ["bucket"] = Bucket,
            ["generation"] = generation,
            ["metageneration"] = "1",
            ["contentType"] = o.ContentType,
            ["storageClass"] = "STANDARD",
            ["size"] = o.Data.Length.ToString(CultureInfo.InvariantCulture),
            ["md5Hash"] = Convert.ToBase64String(MD5.HashData(o.Data)),
            ["crc32c"] = Crc32C.ToBase64(o.Data),
            ["etag"] = Convert.ToBase64String(BitConverter.GetBytes(o.Generation)),
            ["timeCreated"] = time,
            ["updated"] = time,
        };
    }

    private static async Task JsonAsync(HttpListenerResponse response, int status, JsonNode json)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(json);
        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    // The JSON API's error envelope, which the client turns into GoogleApiException with HttpStatusCode.
    private static Task ErrorAsync(HttpListenerResponse response, int status, string reason, string message) =>
        JsonAsync(response, status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = "global", ["reason"] = reason }),
            },
        });

    private async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        if (!request.HasEntityBody)
        {
            return [];
        }

        var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
        // The API accepts gzip-encoded request bodies; the client sends its JSON that way when GZip is on.
        if (string.Equals(request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref _gzipBodies);
            buffer.Position = 0;
            var inflated = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionMode.Decompress))
            {
                await gzip.CopyToAsync(inflated).ConfigureAwait(false);
            }

            return inflated.ToArray();
        }

        return buffer.ToArray();
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            result[key] = value;
        }

        return result;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed record StoredObject(string Name, string ContentType, byte[] Data, long Generation, DateTime Created);

    private sealed record PendingUpload(string Name, string ContentType, MemoryStream Data);
}
