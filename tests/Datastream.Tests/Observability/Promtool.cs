using System.Diagnostics;

namespace Datastream.Tests.Observability;

/// <summary>
/// Runs the promtool of the Debian package prometheus (skipped without it on a laptop, failed in CI: see RequiredTool).
/// </summary>
internal static class Promtool
{
    public const string InstallHint = "install the Debian package prometheus (apt-get install -y prometheus) to run this";

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        string promtool = RequiredTool.Find("promtool", InstallHint);
        var start = new ProcessStartInfo(promtool)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        // A promtool that never ends fails the test after two minutes instead of holding the whole run.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(TimeSpan.FromMinutes(2));
        // Both pipes drained at once: promtool's test output can exceed a pipe buffer and block on the other.
        var stdout = process.StandardOutput.ReadToEndAsync(bounded.Token);
        var stderr = process.StandardError.ReadToEndAsync(bounded.Token);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"promtool {string.Join(' ', arguments)} did not end within two minutes");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
