using System.Diagnostics;

namespace Datastream.Tests.Observability;

/// <summary>
/// Runs the promtool of the Debian package prometheus. Without it the tests that need it skip, except where
/// DATASTREAM_REQUIRE_TOOLS=1 (CI): there a missing tool must not turn a red check into a silent skip.
/// </summary>
internal static class Promtool
{
    public const string InstallHint = "install the Debian package prometheus (apt-get install -y prometheus) to run this";

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        string promtool = Require(Environment.GetEnvironmentVariable("PATH"), Environment.GetEnvironmentVariable("DATASTREAM_REQUIRE_TOOLS"));
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

    /// <summary>The path of promtool on <paramref name="path"/>; otherwise skips the test, or fails it when tools are required.</summary>
    public static string Require(string? path, string? requireTools)
    {
        string? found = Find(path);
        if (found is not null)
        {
            return found;
        }

        if (requireTools == "1")
        {
            Assert.Fail($"promtool is required (DATASTREAM_REQUIRE_TOOLS=1) but is not on PATH: {InstallHint}");
        }

        Assert.Skip(InstallHint);
        return string.Empty;
    }

    private static string? Find(string? path) =>
        (path ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, OperatingSystem.IsWindows() ? "promtool.exe" : "promtool"))
            .FirstOrDefault(File.Exists);
}
