namespace Datastream.Elasticsearch;

/// <summary>One answer of the cluster: the HTTP status (null when none came back) and the body.</summary>
internal readonly record struct ClusterReply(int? Status, ReadOnlyMemory<byte> Body, string? TransportError) : ITransientOutcome
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Worth sending again: no answer at all, pushed back, or the cluster's own failure.</summary>
    public bool IsTransient => Status is null or 429 or >= 500;

    /// <summary>"status 503: &lt;type&gt;: &lt;reason&gt;" or the connection error, on one line.</summary>
    public string Describe() => Status is { } status
        ? $"status {status}" + (ElasticsearchError.FromResponseBody(Body) is { } error ? $": {error}" : Meaning(status))
        : TransportError ?? "no response";

    /// <summary>For answers without a body (HEAD requests): what the status says.</summary>
    private static string Meaning(int status) => status switch
    {
        401 => " (authentication failed: check the API key or username and password)",
        403 => " (forbidden: the credentials lack the privilege)",
        _ => "",
    };
}
