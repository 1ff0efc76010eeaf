using System.Diagnostics;

namespace Datastream.Lake.Tests;

/// <summary>
/// A small tmpfs mounted for one test, to fill the lake's disk for real (ENOSPC) and free it again. Mounting needs
/// root (CAP_SYS_ADMIN): where it is refused the test is skipped, saying so.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private const string FillerName = "filler";

    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, FillerName);

    public static TmpfsMount MountOrSkip(string path, string size)
    {
        Directory.CreateDirectory(path);
        var (exit, error) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (exit != 0)
        {
            Assert.Skip($"mount -t tmpfs is not permitted here (it needs root or CAP_SYS_ADMIN): {error.Trim()}");
        }

        return new TmpfsMount(path);
    }

    /// <summary>Writes a file until the file system is full, to the last page (smaller and smaller writes).</summary>
    public Task FillAsync()
    {
        using var filler = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (int size in new[] { 64 * 1024, 4096, 1 })
        {
            var block = new byte[size];
            try
            {
                while (true)
                {
                    filler.Write(block);
                }
            }
            catch (IOException)
            {
                // No room for another block of this size: go on with a smaller one.
            }
        }

        Assert.Equal(0, new DriveInfo(Path).AvailableFreeSpace);
        return Task.CompletedTask;
    }

    public Task FreeAsync()
    {
        File.Delete(Filler);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        var (exit, error) = Run("umount", Path);
        Assert.True(exit == 0, $"umount {Path}: {error}");
    }

    private static (int Exit, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
