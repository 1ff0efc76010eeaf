namespace Datastream.Tests.Kubernetes;

/// <summary>
/// `kubectl kustomize DIR`, offline: Debian's kubectl has kustomize built in and renders without a cluster (skipped
/// without kubectl on a laptop, failed in CI: see RequiredTool).
/// </summary>
internal static class Kustomize
{
    public const string InstallHint = "install the Debian package kubectl (apt-get install -y kubectl) to run this";

    /// <summary>The rendered objects of a kustomization directory (relative to the repository root).</summary>
    public static async Task<List<System.Text.Json.Nodes.JsonObject>> RenderAsync(string directory)
    {
        string kubectl = RequiredTool.Find("kubectl", InstallHint);
        var (exitCode, stdout, stderr) = await ToolProcess.RunAsync(kubectl, ["kustomize", directory], TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, $"kubectl kustomize {directory} exited {exitCode}: {stderr}");
        return YamlDocuments.Parse(stdout);
    }
}
