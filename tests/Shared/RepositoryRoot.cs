namespace Datastream.Testing;

/// <summary>The checkout the tests run from: the first directory above the test binaries that holds Datastream.slnx.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));

    /// <summary>
    /// The built CLI of the same configuration as the tests: tests/X/bin/&lt;Configuration&gt;/net10.0/ →
    /// src/Datastream/bin/&lt;Configuration&gt;/net10.0/datastream.dll.
    /// </summary>
    public static string Cli
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            string path = System.IO.Path.Combine(Path, "src", "Datastream", "bin", output.Parent!.Name, output.Name, "datastream.dll");
            return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"the CLI is not built at {path}");
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Datastream.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Datastream.slnx above {AppContext.BaseDirectory}");
    }
}
