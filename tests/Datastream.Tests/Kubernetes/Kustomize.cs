using System.Diagnostics;

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
        var start = new ProcessStartInfo(kubectl)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);

        using var process = Process.Start(start)!;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(bounded.Token);
        var stderr = process.StandardError.ReadToEndAsync(bounded.Token);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl kustomize {directory} did not end within a minute");
        }

        Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} exited {process.ExitCode}: {await stderr}");
        return YamlDocuments.Parse(await stdout);
    }
}
