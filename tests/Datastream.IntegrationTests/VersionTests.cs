namespace Datastream.IntegrationTests;

/// <summary>`datastream --version` names the version of Directory.Build.props and the commit the CLI was built from.</summary>
public sealed class VersionTests
{
    [Fact]
    public async Task Version_PrintsVersionAndCommit()
    {
        using var dir = new TemporaryDirectory();
        var (code, stdout, stderr) = await ExternalProcess.RunAsync("dotnet", [DatastreamProcess.CliPath, "--version"], dir.Path, TimeSpan.FromMinutes(1));

        Assert.True(code == 0, $"exit {code}, stderr: {stderr}");
        Assert.Equal($"datastream {ExternalProcess.ProductVersion()} (commit {await ExternalProcess.GitHeadAsync()})", stdout.Trim());
    }
}
