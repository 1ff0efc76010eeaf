namespace Datastream.Elasticsearch.Hosting;

/// <summary>
/// Credentials written into ELASTICSEARCH_URL (https://user:password@host:9200, as many tools accept) become basic auth,
/// and the node URLs keep only scheme, host, port and path: a node's URL goes into logs, errors, the pipelines page and
/// the API, and a password must never go with it.
/// </summary>
internal static class NodeUrls
{
    public static Uri WithoutCredentials(Uri node) =>
        string.IsNullOrEmpty(node.UserInfo) ? node : new UriBuilder(node) { UserName = string.Empty, Password = string.Empty }.Uri;

    /// <summary>The user and password of the first node URL that carries them, unescaped.</summary>
    public static (string User, string Password)? Credentials(IEnumerable<Uri> nodes)
    {
        foreach (var node in nodes)
        {
            if (node.UserInfo is { Length: > 0 } info)
            {
                int colon = info.IndexOf(':', StringComparison.Ordinal);
                return colon < 0
                    ? (Uri.UnescapeDataString(info), string.Empty)
                    : (Uri.UnescapeDataString(info[..colon]), Uri.UnescapeDataString(info[(colon + 1)..]));
            }
        }

        return null;
    }

    /// <summary>A URL as text for a message: whatever stands between "//" and "@" is replaced, whether the URL parses or not.</summary>
    public static string Redact(string url)
    {
        int scheme = url.IndexOf("//", StringComparison.Ordinal);
        int at = scheme < 0 ? -1 : url.IndexOf('@', scheme + 2);
        int slash = scheme < 0 ? -1 : url.IndexOf('/', scheme + 2);
        return at < 0 || (slash >= 0 && slash < at) ? url : string.Concat(url.AsSpan(0, scheme + 2), "***", url.AsSpan(at));
    }
}
