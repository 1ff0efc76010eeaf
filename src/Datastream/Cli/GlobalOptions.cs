using System.CommandLine;

namespace Datastream.Cli;

/// <summary>Options every command takes (SPEC §5).</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Config = new("--config") { Description = "Configuration file (appsettings.json format)", Recursive = true };
    public static readonly Option<string?> DataDir = new("--data-dir") { Description = "Where the embedded engines keep their files (default ./data)", Recursive = true };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Debug logging", Recursive = true };
}
