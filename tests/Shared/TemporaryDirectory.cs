namespace Datastream.Testing;

/// <summary>
/// A directory of its own for one test (a data dir, a lake root), removed afterwards. Compiled into every test
/// project (tests/Directory.Build.props).
/// </summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("datastream-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

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
