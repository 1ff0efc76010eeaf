namespace Datastream.Elasticsearch;

/// <summary>
/// Where the Elasticsearch index lives and how to reach it. Secrets (API key, password) are passed in by the host,
/// which reads them only from the environment or a file it names, never from a configuration file (SPEC §6).
/// </summary>
public sealed record ElasticsearchIndexOptions
{
    /// <summary>One or more nodes of the cluster; requests go round-robin and fail over between them.</summary>
    public required IReadOnlyList<Uri> Nodes { get; init; }

    /// <summary>The index written and searched; it must match the template's pattern rides* to get its mapping.</summary>
    public string IndexName { get; init; } = "rides";

    /// <summary>The composable index template installed when missing.</summary>
    public string TemplateName { get; init; } = "rides";

    /// <summary>Sent as <c>Authorization: ApiKey &lt;key&gt;</c> (the encoded id:key Elasticsearch returns).</summary>
    public string? ApiKey { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>PEM or DER file of the CA that signed the cluster's HTTP certificate; the server is validated against it.</summary>
    public string? CaCertificateFile { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts of one request (or of the items Elasticsearch pushed back) before the index counts as unavailable.</summary>
    public int MaxAttempts { get; init; } = 6;

    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gzip request bodies: ~4x less traffic, but measured to cost about as much CPU as writing the bulk body itself,
    /// so off by default (the pipeline host is CPU-bound on a LAN). Turn on for a cluster across a WAN or metered link.
    /// </summary>
    public bool CompressRequests { get; init; }

    /// <summary>
    /// Documents per _bulk request: an index-and-export batch of 20,000 rides is ~9 MB of NDJSON, split so that one
    /// request stays well under http.max_content_length and a pushed-back request costs little to resend.
    /// </summary>
    public int MaxDocumentsPerBulk { get; init; } = 5_000;

    /// <summary>
    /// Describes the connection without its secrets: a record's generated ToString would print the API key and the
    /// password to whatever logs or formats these options.
    /// </summary>
    public override string ToString() =>
        $"elasticsearch {string.Join(',', Nodes)} index {IndexName} ({(ApiKey is not null ? "api key" : Username is not null ? $"basic as {Username}" : "no auth")})";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Nodes.Count == 0)
        {
            throw new ArgumentException("at least one Elasticsearch URL is required", nameof(Nodes));
        }

        foreach (var node in Nodes)
        {
            if (!node.IsAbsoluteUri || node.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"'{node}' is not an http:// or https:// URL", nameof(Nodes));
            }
        }

        if (!IndexName.StartsWith("rides", StringComparison.Ordinal) || IndexName != IndexName.ToLowerInvariant())
        {
            throw new ArgumentException($"index '{IndexName}' must be lower case and start with 'rides' so the rides* template maps it", nameof(IndexName));
        }

        if (ApiKey is not null && (Username is not null || Password is not null))
        {
            throw new ArgumentException("set either an API key or a username and password, not both", nameof(ApiKey));
        }

        if ((Username is null) != (Password is null))
        {
            throw new ArgumentException("basic authentication needs both a username and a password", nameof(Username));
        }

        if (CaCertificateFile is not null && !File.Exists(CaCertificateFile))
        {
            throw new ArgumentException($"CA certificate file '{CaCertificateFile}' does not exist", nameof(CaCertificateFile));
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException("MaxAttempts must be at least 1", nameof(MaxAttempts));
        }

        if (MaxDocumentsPerBulk < 1)
        {
            throw new ArgumentException("MaxDocumentsPerBulk must be at least 1", nameof(MaxDocumentsPerBulk));
        }

        if (RequestTimeout <= TimeSpan.Zero || MinRetryDelay < TimeSpan.Zero || MaxRetryDelay < MinRetryDelay)
        {
            throw new ArgumentException("timeouts and retry delays must be positive, MaxRetryDelay ≥ MinRetryDelay", nameof(RequestTimeout));
        }
    }
}
