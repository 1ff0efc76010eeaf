namespace Datastream.Testing;

/// <summary>
/// Finds the course's reference files in ../shared/data next to the repository. They are never copied into the
/// repository, so a fresh clone skips the tests that need them, saying why. Compiled into every test project
/// (tests/Directory.Build.props).
/// </summary>
internal static class SharedData
{
    public static string PathOf(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Skip($"shared/data/{fileName} not found above {AppContext.BaseDirectory}: the course reference data lives outside the repository (../shared/data)");
        return string.Empty;
    }
}
