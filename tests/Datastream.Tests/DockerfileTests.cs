namespace Datastream.Tests;

/// <summary>The Dockerfile builds in the SDK image and runs the web-capable host on the ASP.NET runtime, as a non-root user.</summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = RepositoryFiles.Read("Dockerfile").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public void TheRuntimeStage_IsAspNet10_NonRoot_Exposing8080()
    {
        var stages = Lines.Select((line, index) => (line, index)).Where(l => l.line.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.True(stages.Count >= 2, "a multi-stage build");
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", stages[0].line, StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1].line, StringComparison.Ordinal);

        var runtime = Lines[stages[^1].index..];
        string user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.Contains("EXPOSE 8080", runtime);
    }

    [Fact]
    public void TheBuild_CopiesWhatTheAssemblyEmbeds()
    {
        // The Kibana saved objects are compiled into the CLI from deploy/; a build context without them fails to compile.
        Assert.Contains(Lines, l => l.StartsWith("COPY deploy/", StringComparison.Ordinal));
    }
}
