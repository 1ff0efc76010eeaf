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
        // Both pipes drained at once: promtool's test output can exceed a pipe buffer and block on the other.
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
