using System.Reflection;

namespace Datastream.Cli;

/// <summary>
/// What `datastream --version` prints: the version (VersionPrefix in Directory.Build.props) and the commit it was built
/// from, which the SDK appends to the informational version ("0.11.0+&lt;sha&gt;") when it builds inside a git checkout.
/// </summary>
public static class ProductVersion
{
    private static readonly string Informational = typeof(ProductVersion).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The version without build metadata, e.g. "0.11.0".</summary>
    public static string Version { get; } = Informational.Split('+')[0];

    /// <summary>The full commit hash, or null when built outside a git checkout (e.g. from a source archive).</summary>
    public static string? Commit { get; } = Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : null;

    /// <summary>One line, e.g. "datastream 0.11.0 (commit 1a2b3c…)".</summary>
    public static string Line => $"datastream {Version} ({(Commit is null ? "commit unknown: built outside a git checkout" : "commit " + Commit)})";
}
