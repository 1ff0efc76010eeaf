using System.Diagnostics;

namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// The local lake unwritable: its whole tree made immutable (chattr +i), so creating, renaming and deleting files fail
/// with EPERM even for root (the tests run as root here, where permission bits stop nothing). Listing and reading
/// still work, as with a read-only mount. Needs chattr (e2fsprogs) and a file system with the attribute (ext4, xfs);
/// without them the run fails saying so rather than pretending there was an outage.
/// </summary>
public sealed class LakeOutage(string lakeRoot) : IDisposable
{
    public bool IsDown { get; private set; }

    public void Begin()
    {
        Directory.CreateDirectory(lakeRoot);
        // -f: a file a pipeline deletes meanwhile is no error; the root's flag is checked below.
        Chattr("-R", "-f", "+i", lakeRoot);
        IsDown = true;
        string probe = Path.Combine(lakeRoot, ".chaos-probe");
        try
        {
            File.WriteAllText(probe, "the lake outage did not take");
            File.Delete(probe);
            throw new InvalidOperationException($"chattr +i did not make {lakeRoot} unwritable: the lake outage cannot be simulated here");
        }
        catch (UnauthorizedAccessException)
        {
            // EPERM: the outage holds.
        }
    }

    public void End()
    {
        if (!IsDown)
        {
            return;
        }

        Chattr("-R", "-f", "-i", lakeRoot);
        IsDown = false;
        // Writable again, or the run must stop here: the pipelines would never recover.
        string probe = Path.Combine(lakeRoot, ".chaos-probe");
        File.WriteAllText(probe, "the lake is back");
        File.Delete(probe);
    }

    public void Dispose() => End();

    private static void Chattr(params string[] arguments)
    {
        var info = new ProcessStartInfo("chattr") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var chattr = Process.Start(info) ?? throw new InvalidOperationException("chattr did not start");
        string stderr = chattr.StandardError.ReadToEnd();
        chattr.WaitForExit();
        // With -f, files that vanished during the walk make it exit 1 with nothing said.
        if (chattr.ExitCode != 0 && (!arguments.Contains("-f") || stderr.Length > 0))
        {
            throw new InvalidOperationException($"chattr {string.Join(' ', arguments)} exited {chattr.ExitCode}: {stderr}");
        }
    }
}
