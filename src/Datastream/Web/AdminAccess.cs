using System.Net;
using System.Security.Cryptography;
using System.Text;
using Datastream.Cli;

namespace Datastream.Web;

/// <summary>
/// Who may change state (pause/resume) (SPEC §7): anyone when the app listens on loopback only; beyond loopback only
/// a caller presenting the admin token. The token comes from DATASTREAM_ADMIN_TOKEN or the file named by
/// DATASTREAM_ADMIN_TOKEN_FILE, never from a configuration file. Listening beyond loopback without a token is refused
/// at start: an open pause button on a network is not a default anyone wants.
/// </summary>
public sealed class AdminAccess
{
    private readonly byte[]? _token;

    private AdminAccess(bool tokenRequired, string? token)
    {
        TokenRequired = tokenRequired;
        this._token = token is null ? null : Encoding.UTF8.GetBytes(token);
    }

    /// <summary>True when state-changing requests must carry the token.</summary>
    public bool TokenRequired { get; }

    /// <summary>From the process environment.</summary>
    public static AdminAccess For(IReadOnlyList<string> urls) => For(urls, Configuration.ProcessEnvironment.Variables());

    public static AdminAccess For(IReadOnlyList<string> urls, IReadOnlyDictionary<string, string?> environment)
    {
        string? token = environment.GetValueOrDefault("DATASTREAM_ADMIN_TOKEN") is { Length: > 0 } value ? value : null;
        if (token is null && environment.GetValueOrDefault("DATASTREAM_ADMIN_TOKEN_FILE") is { Length: > 0 } file)
        {
            token = File.Exists(file)
                ? File.ReadAllText(file).Trim()
                : throw new UsageException($"DATASTREAM_ADMIN_TOKEN_FILE: file '{file}' does not exist");
            if (token.Length == 0)
            {
                throw new UsageException($"DATASTREAM_ADMIN_TOKEN_FILE: file '{file}' is empty");
            }
        }

        bool beyondLoopback = urls.Any(url => !IsLoopback(url));
        if (beyondLoopback && token is null)
        {
            throw new UsageException($"--urls {string.Join(';', urls)} listens beyond loopback: set DATASTREAM_ADMIN_TOKEN or DATASTREAM_ADMIN_TOKEN_FILE to protect pause/resume");
        }

        return new AdminAccess(beyondLoopback, token);
    }

    /// <summary>Constant-time check of a presented token; always true when no token is required.</summary>
    public bool Allows(string? presented)
    {
        if (!TokenRequired)
        {
            return true;
        }

        return presented is not null && _token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);
    }

    /// <summary>The token of an HTTP request: "Authorization: Bearer &lt;token&gt;" or "X-Admin-Token: &lt;token&gt;".</summary>
    public static string? PresentedBy(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Headers["X-Admin-Token"].FirstOrDefault();
    }

    /// <summary>Whether a Kestrel URL (http://127.0.0.1:8080, http://localhost:5000, http://0.0.0.0:80, http://*:80, http://+:80) stays on loopback.</summary>
    public static bool IsLoopback(string url)
    {
        // Kestrel's wildcards are not valid URI hosts; they bind every interface.
        string normalized = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            throw new UsageException($"--urls: '{url}' is not a URL like http://127.0.0.1:8080");
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
