using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Datastream.Tests;

/// <summary>
/// A local HTTP server standing in for Kibana (none runs here): records each request as received on the wire and
/// answers with the status and JSON body the test chose.
/// </summary>
internal sealed class FakeKibana : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public FakeKibana(HttpStatusCode status, string responseJson)
    {
        Url = $"http://127.0.0.1:{FreePort()}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _serving = Task.Run(() => ServeAsync(status, responseJson));
    }

    public string Url { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    internal sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string ContentType, byte[] Body);

    private async Task ServeAsync(HttpStatusCode status, string responseJson)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!, StringComparer.Ordinal);
            Requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Url.Query,
                headers, context.Request.ContentType ?? "", body.ToArray()));

            byte[] answer = System.Text.Encoding.UTF8.GetBytes(responseJson);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength64 = answer.Length;
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop first removed the endpoint, and Close then bound the port again to remove it a second time,
        // failing with "address already in use" when another listener had taken the port meanwhile.
        _listener.Close();
        await _serving;
    }
}
