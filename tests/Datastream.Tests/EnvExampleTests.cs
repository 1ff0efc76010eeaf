using System.Text.RegularExpressions;

namespace Datastream.Tests;

/// <summary>.env.example lists every variable Datastream reads (SPEC §6), and nothing it does not.</summary>
public sealed partial class EnvExampleTests
{
    /// <summary>Variables read by code being written alongside this change (the Elasticsearch index, the web app).</summary>
    private static readonly string[] Upcoming =
    [
        "DATASTREAM_INDEX", "ELASTICSEARCH_URL", "ELASTICSEARCH_INDEX", "ELASTICSEARCH_API_KEY", "ELASTICSEARCH_API_KEY_FILE",
        "ELASTICSEARCH_USERNAME", "ELASTICSEARCH_PASSWORD", "ELASTICSEARCH_PASSWORD_FILE", "ELASTICSEARCH_CA_FILE",
        "DATASTREAM_ADMIN_TOKEN", "DATASTREAM_ADMIN_TOKEN_FILE", "DATASTREAM_LOG_FORMAT",
    ];

    /// <summary>Read as NAME + "_FILE" by `kibana import`, so not spelled out in the source.</summary>
    private static readonly string[] SecretFiles = ["KIBANA_API_KEY_FILE", "KIBANA_PASSWORD_FILE"];

    [Fact]
    public void EveryVariableTheHostReads_IsListed()
    {
        var documented = DocumentedVariables();
        var read = VariablesReadByTheHost();
        Assert.Contains("RAW_TOPIC", read);
        Assert.Contains("KIBANA_API_KEY", read);

        var missing = read.Concat(Upcoming).Concat(SecretFiles).Where(v => !documented.Contains(v)).Order().ToList();
        Assert.True(missing.Count == 0, ".env.example does not list " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryListedVariable_IsOneDatastreamReads()
    {
        var known = VariablesReadByTheHost().Concat(Upcoming).Concat(SecretFiles).ToHashSet();
        var unknown = DocumentedVariables().Where(v => !known.Contains(v) && !v.StartsWith("DATASTREAM__", StringComparison.Ordinal)).Order().ToList();
        Assert.True(unknown.Count == 0, ".env.example lists variables nothing reads: " + string.Join(", ", unknown));
    }

    /// <summary>NAME of every "NAME=..." or "# NAME=..." line.</summary>
    internal static HashSet<string> DocumentedVariables()
        => RepositoryFiles.Read(".env.example").Split('\n').Select(l => Assignment().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Environment variable names spelled as string literals in the host (src/Datastream), where every variable is read.</summary>
    private static HashSet<string> VariablesReadByTheHost()
        => Directory.EnumerateFiles(RepositoryFiles.PathOf("src/Datastream"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => VariableLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^#?\s*([A-Z][A-Za-z0-9_]*)=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"""([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""")]
    private static partial Regex VariableLiteral();
}
