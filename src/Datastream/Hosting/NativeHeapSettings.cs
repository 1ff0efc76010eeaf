using System.Runtime.InteropServices;

namespace Datastream.Hosting;

/// <summary>
/// How glibc's malloc, which SQLite and ZstdSharp allocate through, returns memory to the system. By default it raises
/// its mmap threshold to the largest block freed so far (up to 32 MB): after the first large blocks of a run, every
/// block up to that size comes from its heaps instead, where freed blocks between live ones stay resident. With the
/// threshold fixed at 128 KB, blocks above it are mapped and unmapped on their own, and a heap's free top goes back
/// past 256 KB: a 4M-ride run's resident memory was ~10 MB lower (docs/performance.md, session 9).
/// Linux with glibc only; elsewhere (musl, macOS, Windows) nothing changes.
/// </summary>
internal static class NativeHeapSettings
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>Applies the settings; false where there is no glibc malloc to set (or it refused).</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc))
        {
            return false;
        }

        // musl has no libc.so.6; a glibc without mallopt would be odd, but then there is nothing to set either.
        if (!NativeLibrary.TryGetExport(libc, "mallopt", out var address))
        {
            return false;
        }

        // Called through a delegate: a [LibraryImport] would need unsafe code enabled for the whole project.
        var mallopt = Marshal.GetDelegateForFunctionPointer<MallOpt>(address);
        return mallopt(MmapThreshold, 128 * 1024) == 1 && mallopt(TrimThreshold, 256 * 1024) == 1;
    }

    /// <summary>glibc's <c>int mallopt(int param, int value)</c>: 1 on success.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallOpt(int param, int value);
}
