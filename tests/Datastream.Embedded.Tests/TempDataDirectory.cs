namespace Datastream.Embedded.Tests;

/// <summary>A fresh data directory per test, deleted afterwards.</summary>
internal sealed class TempDataDirectory : IDisposable
{
    public TempDataDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "datastream-log-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A lingering handle (e.g. a killed child process) must not fail the test; the OS cleans temp.
        }
    }
}
