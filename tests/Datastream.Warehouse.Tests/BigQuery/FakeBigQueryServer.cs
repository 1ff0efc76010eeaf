using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Datastream.Warehouse.Tests.BigQuery;

/// <summary>One request the fake server received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, JsonObject? Body, string? Authorization);

/// <summary>
/// A BigQuery REST stand-in on 127.0.0.1 (HttpListener, free port): records every request and answers with what
/// <c>respond</c> returns (status, JSON body).
/// </summary>
public sealed class FakeBigQueryServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, (int Status, string Json)> _respond;
    private readonly Task _loop;
    private readonly List<RecordedRequest> _requests = [];

    public FakeBigQueryServer(Func<RecordedRequest, (int Status, string Json)> respond)
    {
        _respond = respond;
        var port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/bigquery/v2/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
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
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
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
            var request = context.Request;
            string text;
            using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
            {
                text = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            var query = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in request.QueryString.AllKeys)
            {
                if (key is not null)
                {
                    query[key] = request.QueryString[key] ?? "";
                }
            }

            var recorded = new RecordedRequest(
                request.HttpMethod,
                request.Url!.AbsolutePath,
                query,
                text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject,
                request.Headers["Authorization"]);
            lock (_requests)
            {
                _requests.Add(recorded);
            }

            (int status, string json) answer;
            try
            {
                answer = _respond(recorded);
            }
            catch (Exception e)
            {
                answer = (500, new JsonObject { ["error"] = new JsonObject { ["code"] = 500, ["message"] = "fake server: " + e.Message } }.ToJsonString());
            }
            var bytes = Encoding.UTF8.GetBytes(answer.json);
            context.Response.StatusCode = answer.status;
            context.Response.ContentType = "application/json; charset=UTF-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
