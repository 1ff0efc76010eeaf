namespace Datastream.Tests;

/// <summary>Configuration is the one reader of the process environment (SPEC §6): everything else is handed what it needs.</summary>
public sealed class EnvironmentAccessTests
{
    private const string Reader = "src/Datastream/Configuration/ProcessEnvironment.cs";

    [Fact]
    public void OnlyProcessEnvironment_ReadsEnvironmentVariables()
    {
        var readers = Directory.EnumerateFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("Environment.GetEnvironmentVariable", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

        Assert.Equal([Reader], readers);
    }
}
