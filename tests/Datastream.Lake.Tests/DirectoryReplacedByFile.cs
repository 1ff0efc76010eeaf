namespace Datastream.Lake.Tests;

/// <summary>
/// A directory of the lake made unusable for a while: moved aside and a regular file put in its place, so that creating
/// anything below it fails (ENOTDIR). chmod would not do: the tests may run as root, whom permissions do not stop.
/// </summary>
internal sealed class DirectoryReplacedByFile(string path)
{
    private string Aside => path + ".aside";

    public Task BeginAsync()
    {
        if (Directory.Exists(path))
        {
            Directory.Move(path, Aside);
        }

        File.WriteAllText(path, "not a directory");
        return Task.CompletedTask;
    }

    public Task EndAsync()
    {
        File.Delete(path);
        if (!Directory.Exists(Aside))
        {
            return Task.CompletedTask;
        }

        try
        {
            Directory.Move(Aside, path);
        }
        catch (IOException) when (Directory.Exists(path))
        {
            // The pipeline's next attempt created the directory again in between: put back what was aside, into it.
            foreach (var file in Directory.EnumerateFiles(Aside, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(path, Path.GetRelativePath(Aside, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(file, target);
            }

            Directory.Delete(Aside, recursive: true);
        }

        return Task.CompletedTask;
    }
}
