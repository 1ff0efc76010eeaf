using System.CommandLine;

namespace Datastream.Web;

/// <summary>The --urls option of the commands that serve the web app: Kestrel addresses, ';' between several.</summary>
public static class WebUrls
{
    public const string Default = "http://127.0.0.1:8080";

    /// <summary>The option of `run` and `serve`, which listen on <see cref="Default"/> unless told otherwise.</summary>
    public static Option<string?> Option() => new("--urls")
    {
        Description = $"Where the web app listens, ';' between several (default {Default}); beyond loopback it needs DATASTREAM_ADMIN_TOKEN",
    };

    public static IReadOnlyList<string> Parse(string value) => value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
