using System.Text.Json;

namespace Datastream.IntegrationTests;

/// <summary>
/// The install of the README: `dotnet pack` makes the `datastream` .NET tool, `dotnet tool install` takes it from a local
/// folder alone (no other package source), and the installed tool runs the pipelines and names its version.
/// </summary>
public sealed class ToolInstallTests
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task PackedTool_InstallsFromALocalFolder_AndRunsAThousandRides()
    {
        using var dir = new TemporaryDirectory();
        string packages = Directory.CreateDirectory(dir.File("packages")).FullName;
        string tools = dir.File("tools");
        string work = Directory.CreateDirectory(dir.File("work")).FullName;
        string version = ExternalProcess.ProductVersion();

        // The build the test run made (tests/X/bin/<Configuration>/net10.0 ↔ src/Datastream/bin/<Configuration>/net10.0),
        // packed as it is; its publish step writes into the temporary folder, not into the checkout.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        await Succeed("dotnet pack", "dotnet", ["pack", RepositoryRoot.File("src/Datastream/Datastream.csproj"), "--no-build", "-c", configuration,
            "-o", packages, $"-p:PublishDir={dir.File("publish")}/"], PackTimeout);
        Assert.True(File.Exists(Path.Combine(packages, $"Datastream.{version}.nupkg")),
            $"dotnet pack made no Datastream.{version}.nupkg in {packages}: {string.Join(", ", Directory.GetFiles(packages).Select(Path.GetFileName))}");

        // A nuget.config with no source: the local folder (--add-source) is the only place the install may look.
        File.WriteAllText(dir.File("nuget.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);
        await Succeed("dotnet tool install", "dotnet", ["tool", "install", "--tool-path", tools, "--configfile", dir.File("nuget.config"), "--add-source", packages,
            "Datastream", "--version", version], StepTimeout);
        string datastream = Path.Combine(tools, "datastream");

        string versionLine = await Succeed("datastream --version", datastream, ["--version"], StepTimeout);
        Assert.Equal($"datastream {version} (commit {await ExternalProcess.GitHeadAsync()})", versionLine.Trim());

        string summary = await Succeed("datastream run", datastream, ["run", "--count", "1000", "--rate", "0", "--no-web", "--json", "--data-dir", dir.File("data")], StepTimeout);
        using var json = JsonDocument.Parse(summary);
        var s = json.RootElement;
        Assert.Equal(1000, s.GetProperty("produced").GetInt64());
        Assert.Equal(1000, s.GetProperty("result").GetInt64());
        Assert.Equal(1000, s.GetProperty("indexed").GetInt64());
        Assert.Equal(1000, s.GetProperty("lake_rows").GetInt64());
        // DuckDB's native library from the tool store: revenue over the lake covers every ride.
        Assert.Equal(1000, s.GetProperty("revenue").EnumerateArray().Sum(cell => cell.GetProperty("n").GetInt64()));

        async Task<string> Succeed(string step, string fileName, IReadOnlyList<string> args, TimeSpan timeout)
        {
            var (code, stdout, stderr) = await ExternalProcess.RunAsync(fileName, args, work, timeout);
            Assert.True(code == 0, $"{step} failed (exit {code}):\n{stdout}\n{stderr}");
            return stdout;
        }
    }
}
