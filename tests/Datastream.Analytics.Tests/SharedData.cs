namespace Datastream.Analytics.Tests;

/// <summary>Locates the course reference files in ../shared/data above the test binaries; skips the test when they are absent (fresh clone).</summary>
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

        Assert.Skip($"shared/data/{fileName} not found above {AppContext.BaseDirectory}; the course reference data lives outside the repository");
        return string.Empty;
    }
}
