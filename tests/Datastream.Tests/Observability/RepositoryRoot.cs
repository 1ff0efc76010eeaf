namespace Datastream.Tests.Observability;

/// <summary>The checkout the tests run from: the first directory above the test binaries that holds Datastream.slnx.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));

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
