using System.Diagnostics;

namespace Datastream.IntegrationTests;

/// <summary>Runs a program other than the built CLI (dotnet pack, dotnet tool install, an installed tool) to completion.</summary>
internal static class ExternalProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The SDK's first-run banner and telemetry notice would otherwise mix into the output read here.
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName} {string.Join(' ', args)}' did not exit within {timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The commit the checkout is at, as the build stamped it into the CLI.</summary>
    public static async Task<string> GitHeadAsync()
    {
        var (code, stdout, stderr) = await RunAsync("git", ["rev-parse", "HEAD"], RepositoryRoot.Path, TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"git rev-parse HEAD in {RepositoryRoot.Path} failed ({code}): {stderr}");
        return stdout.Trim();
    }

    /// <summary>The version of Directory.Build.props (VersionPrefix), the one place it is set.</summary>
    public static string ProductVersion()
    {
        var props = System.Xml.Linq.XDocument.Load(RepositoryRoot.File("Directory.Build.props"));
        return props.Descendants("VersionPrefix").Single().Value.Trim();
    }
}
