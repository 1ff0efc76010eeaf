using Datastream.Pipelines.Resilience;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Polly;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Datastream.Elasticsearch;

/// <summary>
/// The HTTP side of the adapter: the official client's transport (node pool, authentication, TLS, the product
/// check that the peer really is Elasticsearch) carrying request bodies the adapter writes itself. Requests the
/// cluster pushes back (429, 5xx) or that get no answer are retried here, a bounded number of times, with the
/// capped exponential backoff and jitter every Datastream retry uses (<see cref="Backoff"/>, on Polly).
/// </summary>
internal sealed class ClusterConnection : IDisposable
{
    private readonly ElasticsearchClientSettings _settings;
    private readonly ElasticsearchClient _client;
    private readonly ResiliencePipeline _whileTransient;

    public ClusterConnection(ElasticsearchIndexOptions options)
    {
        Options = options;
        NodePool pool = options.Nodes.Count == 1 ? new SingleNodePool(options.Nodes[0]) : new StaticNodePool(options.Nodes);
        _settings = new ElasticsearchClientSettings(pool)
            .RequestTimeout(options.RequestTimeout)
            // Retries are ours (per item for bulk, with backoff); the transport only fails over between nodes.
            .MaximumRetries(Math.Max(0, options.Nodes.Count - 1))
            .EnableHttpCompression(options.CompressRequests)
            .ThrowExceptions(false);
        if (options.ApiKey is not null)
        {
            _settings = _settings.Authentication(new ApiKey(options.ApiKey));
        }
        else if (options.Username is not null)
        {
            _settings = _settings.Authentication(new BasicAuthentication(options.Username, options.Password!));
        }

        if (options.CaCertificateFile is not null)
        {
            _settings = _settings.ServerCertificateValidationCallback(CertificateAuthority.FromFile(options.CaCertificateFile).Validate);
        }

        _client = new ElasticsearchClient(_settings);
        _whileTransient = new Backoff(options.MinRetryDelay, options.MaxRetryDelay)
            .Build(options.MaxAttempts, static (outcome, _) => outcome.Result is ITransientOutcome { IsTransient: true });
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
                ? await _client.Transport.RequestAsync<BytesResponse>(method, path, PostData.ReadOnlyMemory(bytes), cancellationToken).ConfigureAwait(false)
                : await _client.Transport.RequestAsync<BytesResponse>(method, path, cancellationToken).ConfigureAwait(false);
        }
        catch (TransportException e)
        {
            return new ClusterReply(null, ReadOnlyMemory<byte>.Empty, OneLine(e));
        }

        var details = response.ApiCallDetails;
        if (details.HttpStatusCode is not { } status)
        {
            return new ClusterReply(null, ReadOnlyMemory<byte>.Empty, details.OriginalException is { } error ? OneLine(error) : "no response");
        }

        return new ClusterReply(status, response.Body ?? [], null);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until its outcome is not transient, at most
    /// <see cref="ElasticsearchIndexOptions.MaxAttempts"/> times with backoff between; returns the last outcome, which
    /// is still transient when every attempt was pushed back or unanswered.
    /// </summary>
    public ValueTask<T> RetryWhileTransientAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
        where T : ITransientOutcome =>
        _whileTransient.ExecuteAsync(attempt, cancellationToken);

    /// <summary>
    /// Sends until the answer is not transient, at most <see cref="ElasticsearchIndexOptions.MaxAttempts"/> times;
    /// throws <see cref="ElasticsearchUnavailableException"/> when every attempt was pushed back or unanswered.
    /// </summary>
    public async Task<ClusterReply> SendAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body, string what, CancellationToken cancellationToken)
    {
        var reply = await RetryWhileTransientAsync(token => new ValueTask<ClusterReply>(SendOnceAsync(method, path, body, token)), cancellationToken).ConfigureAwait(false);
        return reply.IsTransient ? throw Unavailable(what, reply) : reply;
    }

    /// <summary>
    /// GET / through the typed client, whose product check refuses a server that does not answer as Elasticsearch
    /// (X-Elastic-Product); the raw requests of the adapter do not make that check themselves. Returns the version.
    /// </summary>
    public async Task<string> VerifyElasticsearchAsync(CancellationToken cancellationToken)
    {
        const string what = "the cluster info (GET /)";
        string? version = null;
        var last = await RetryWhileTransientAsync(async token =>
        {
            InfoResponse info;
            try
            {
                info = await _client.InfoAsync(token).ConfigureAwait(false);
            }
            catch (UnsupportedProductException)
            {
                throw new ElasticsearchRequestException($"the server at {Location} is not Elasticsearch: it did not answer with X-Elastic-Product: Elasticsearch");
            }

            var details = info.ApiCallDetails;
            if (info.IsValidResponse)
            {
                version = info.Version?.Number ?? "unknown";
                return new ClusterReply(details.HttpStatusCode ?? 200, ReadOnlyMemory<byte>.Empty, null);
            }

            var reply = new ClusterReply(details.HttpStatusCode, details.ResponseBodyInBytes ?? [], details.OriginalException is { } error ? OneLine(error) : null);
            return reply.IsTransient ? reply : throw Refused(what, reply);
        }, cancellationToken).ConfigureAwait(false);
        return version ?? throw Unavailable(what, last);
    }

    public ElasticsearchUnavailableException Unavailable(string what, ClusterReply last) =>
        new($"Elasticsearch at {Location} is unavailable for {what} after {Options.MaxAttempts} attempts: {last.Describe()}");

    public ElasticsearchRequestException Refused(string what, ClusterReply reply) =>
        new($"Elasticsearch at {Location} refused {what}: {reply.Describe()}");

    public void Dispose() => ((IDisposable)_settings).Dispose();

    private static string OneLine(Exception error)
    {
        var innermost = error;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        string message = innermost == error || error.Message.Contains(innermost.Message, StringComparison.Ordinal)
            ? error.Message
            : $"{error.Message} ({innermost.Message})";
        return message.ReplaceLineEndings(" ");
    }
}
