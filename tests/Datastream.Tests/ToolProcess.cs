using System.Diagnostics;

namespace Datastream.Tests;

/// <summary>
/// Runs a command-line tool the tests check files with (promtool, kubectl) from the repository root, with a time
/// bound: a tool that never ends fails its test instead of holding the whole run.
/// </summary>
internal static class ToolProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(tool)
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
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bounded.CancelAfter(timeout);
        // Both pipes drained at once: a tool's output can exceed a pipe buffer and block on the other.
        var stdout = process.StandardOutput.ReadToEndAsync(bounded.Token);
        var stderr = process.StandardError.ReadToEndAsync(bounded.Token);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(tool)} {string.Join(' ', start.ArgumentList)} did not end within {timeout.TotalSeconds:F0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
