using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Datastream.Elasticsearch;

/// <summary>
/// The HTTP side of the adapter: the official client's transport (node pool, authentication, TLS, the product
/// check that the peer really is Elasticsearch) carrying request bodies the adapter writes itself. Requests the
/// cluster pushes back (429, 5xx) or that get no answer are retried here with backoff, a bounded number of times.
/// </summary>
internal sealed class ClusterConnection : IDisposable
{
    private readonly ElasticsearchClientSettings settings;
    private readonly ElasticsearchClient client;
    private readonly RetryBackoff backoff;

    public ClusterConnection(ElasticsearchIndexOptions options)
    {
        Options = options;
        NodePool pool = options.Nodes.Count == 1 ? new SingleNodePool(options.Nodes[0]) : new StaticNodePool(options.Nodes);
        settings = new ElasticsearchClientSettings(pool)
            .RequestTimeout(options.RequestTimeout)
            // Retries are ours (per item for bulk, with backoff); the transport only fails over between nodes.
            .MaximumRetries(Math.Max(0, options.Nodes.Count - 1))
            .EnableHttpCompression(options.CompressRequests)
            .ThrowExceptions(false);
        if (options.ApiKey is not null)
            settings = settings.Authentication(new ApiKey(options.ApiKey));
        else if (options.Username is not null)
            settings = settings.Authentication(new BasicAuthentication(options.Username, options.Password!));
        if (options.CaCertificateFile is not null)
            settings = settings.ServerCertificateValidationCallback(CertificateAuthority.FromFile(options.CaCertificateFile).Validate);
        client = new ElasticsearchClient(settings);
        backoff = new RetryBackoff(options.MinRetryDelay, options.MaxRetryDelay);
    }

    public ElasticsearchIndexOptions Options { get; }

    /// <summary>Where requests go, for messages: "http://es1:9200" or "http://es1:9200, http://es2:9200".</summary>
    public string Location => string.Join(", ", Options.Nodes.Select(n => n.GetLeftPart(UriPartial.Authority)));

    /// <summary>One request, once.</summary>
    public async Task<ClusterReply> SendOnceAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body, CancellationToken cancellationToken)
    {
        BytesResponse response;
        try
        {
            response = body is { } bytes
                ? await client.Transport.RequestAsync<BytesResponse>(method, path, PostData.ReadOnlyMemory(bytes), cancellationToken).ConfigureAwait(false)
                : await client.Transport.RequestAsync<BytesResponse>(method, path, cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException e)
        {
            return new ClusterReply(null, ReadOnlyMemory<byte>.Empty, OneLine(e));
        }

        var details = response.ApiCallDetails;
        if (details.HttpStatusCode is not { } status)
            return new ClusterReply(null, ReadOnlyMemory<byte>.Empty, details.OriginalException is { } error ? OneLine(error) : "no response");
        return new ClusterReply(status, response.Body ?? [], null);
    }

    /// <summary>
    /// Sends until the answer is not transient, at most <see cref="ElasticsearchIndexOptions.MaxAttempts"/> times;
    /// throws <see cref="ElasticsearchUnavailableException"/> when every attempt was pushed back or unanswered.
    /// </summary>
    public async Task<ClusterReply> SendAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body, string what, CancellationToken cancellationToken)
    {
        ClusterReply reply = default;
        for (int attempt = 0; attempt < Options.MaxAttempts; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(backoff.DelayBefore(attempt - 1), cancellationToken).ConfigureAwait(false);
            reply = await SendOnceAsync(method, path, body, cancellationToken).ConfigureAwait(false);
            if (!reply.IsTransient)
                return reply;
        }

        throw Unavailable(what, reply);
    }

    /// <summary>
    /// GET / through the typed client, whose product check refuses a server that does not answer as Elasticsearch
    /// (X-Elastic-Product); the raw requests of the adapter do not make that check themselves. Returns the version.
    /// </summary>
    public async Task<string> VerifyElasticsearchAsync(CancellationToken cancellationToken)
    {
        const string what = "the cluster info (GET /)";
        ClusterReply last = default;
        for (int attempt = 0; attempt < Options.MaxAttempts; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(backoff.DelayBefore(attempt - 1), cancellationToken).ConfigureAwait(false);
            InfoResponse info;
            try
            {
                info = await client.InfoAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (UnsupportedProductException)
            {
                throw new ElasticsearchRequestException($"the server at {Location} is not Elasticsearch: it did not answer with X-Elastic-Product: Elasticsearch");
            }

            var details = info.ApiCallDetails;
            if (info.IsValidResponse)
                return info.Version?.Number ?? "unknown";
            last = new ClusterReply(details.HttpStatusCode, details.ResponseBodyInBytes ?? [],
                details.OriginalException is { } error ? OneLine(error) : null);
            if (!last.IsTransient)
                throw Refused(what, last);
        }

        throw Unavailable(what, last);
    }

    public TimeSpan DelayBefore(int retry) => backoff.DelayBefore(retry);

    public ElasticsearchUnavailableException Unavailable(string what, ClusterReply last) =>
        new($"Elasticsearch at {Location} is unavailable for {what} after {Options.MaxAttempts} attempts: {last.Describe()}");

    public ElasticsearchRequestException Refused(string what, ClusterReply reply) =>
        new($"Elasticsearch at {Location} refused {what}: {reply.Describe()}");

    public void Dispose() => ((IDisposable)settings).Dispose();

    private static string OneLine(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is not null)
            innermost = innermost.InnerException;
        string message = innermost == error || error.Message.Contains(innermost.Message, StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message} ({innermost.Message})";
        return message.ReplaceLineEndings(" ");
    }
}
