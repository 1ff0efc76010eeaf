namespace Datastream.Elasticsearch.Hosting;

/// <summary>
/// The Elasticsearch index's configuration keys (section Elasticsearch; the seed's ELASTICSEARCH_* variables map onto
/// them). Secrets are never bound from configuration: the host sets them from the environment or the files named.
/// </summary>
public sealed class ElasticsearchIndexSettings
{
    /// <summary>One or more comma-separated http(s) node URLs (ELASTICSEARCH_URL); required.</summary>
    public string? Url { get; set; }

    /// <summary>The index written and searched (ELASTICSEARCH_INDEX).</summary>
    public string Index { get; set; } = "rides";

    public string? Username { get; set; }

    public string? ApiKeyFile { get; set; }

    public string? PasswordFile { get; set; }

    /// <summary>The CA of the cluster's HTTP certificate (ELASTICSEARCH_CA_FILE).</summary>
    public string? CaFile { get; set; }

    public double RequestTimeoutSeconds { get; set; } = 60;

    public int MaxAttempts { get; set; } = 6;

    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxDocumentsPerBulk { get; set; } = 5_000;

    public bool CompressRequests { get; set; }

    /// <summary>Not bindable (no public setter): see <see cref="UseSecrets"/>.</summary>
    public string? ApiKey { get; private set; }

    /// <summary>Not bindable (no public setter): see <see cref="UseSecrets"/>.</summary>
    public string? Password { get; private set; }

    /// <summary>The host's secrets, each from its variable or else from the file its *File key names.</summary>
    public void UseSecrets(string? apiKey, string? password)
    {
        ApiKey = apiKey;
        Password = password;
    }

    /// <summary>The node URLs as written (once validated: each an absolute http(s) URL), credentials included.</summary>
    public IReadOnlyList<Uri> Nodes() =>
        [.. (Url ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => new Uri(url))];

    /// <summary>Credentials written into the URL (user:password@), if any: ToOptions makes them basic auth.</summary>
    public (string User, string Password)? UrlCredentials => NodeUrls.Credentials(Nodes());

    public ElasticsearchIndexOptions ToOptions()
    {
        var fromUrl = UrlCredentials;
        return new ElasticsearchIndexOptions
        {
            Nodes = [.. Nodes().Select(NodeUrls.WithoutCredentials)],
            IndexName = Index.Length > 0 ? Index : "rides",
            ApiKey = ApiKey,
            Username = Username is { Length: > 0 } ? Username : fromUrl?.User,
            Password = Password ?? fromUrl?.Password,
            CaCertificateFile = CaFile is { Length: > 0 } ? CaFile : null,
            RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
            MaxAttempts = MaxAttempts,
            MinRetryDelay = MinRetryDelay,
            MaxRetryDelay = MaxRetryDelay,
            MaxDocumentsPerBulk = MaxDocumentsPerBulk,
            CompressRequests = CompressRequests,
        };
    }
}
