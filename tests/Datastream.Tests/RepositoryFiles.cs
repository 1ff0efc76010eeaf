namespace Datastream.Tests;

/// <summary>Files of the repository itself (deploy/, infra/, Dockerfile...), found from the test's output directory.</summary>
internal static class RepositoryFiles
{
    public static string Root => RepositoryRoot.Path;

    public static string PathOf(string relative) => RepositoryRoot.File(relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}
