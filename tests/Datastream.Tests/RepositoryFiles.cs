namespace Datastream.Tests;

/// <summary>Files of the repository itself (deploy/, infra/, Dockerfile...), found from the test's output directory.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = LocateRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The built CLI: tests/Datastream.Tests/bin/&lt;Configuration&gt;/net10.0/ → src/Datastream/bin/&lt;Configuration&gt;/net10.0/datastream.dll.</summary>
    public static string Cli
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string path = Path.Combine(Root, "src", "Datastream", "bin", output.Parent!.Name, output.Name, "datastream.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the CLI is not built at {path}");
        }
    }

    private static string LocateRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Datastream.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"cannot find the repository root (Datastream.slnx) above {AppContext.BaseDirectory}");
    }
}
