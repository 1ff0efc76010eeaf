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
        var (exitCode, stdout, stderr) = await ToolProcess.RunAsync(promtool, arguments, TimeSpan.FromMinutes(2));
        return (exitCode, stdout + stderr);
    }
}
