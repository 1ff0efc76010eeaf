using System.Runtime.InteropServices;
using Nito.AsyncEx;

namespace Datastream.Hosting;

/// <summary>
/// Runs async work on a thread of its own at a lowered CPU priority, its continuations included (a single-threaded
/// context: Nito's AsyncContext). `run --rate 0` runs its producer at the lowest priority and compute-cost below normal,
/// so the stage furthest downstream, index-and-export (whose index writer bounds the run), gets a core whenever it can
/// use one and the stages before it take what it leaves (docs/performance.md, sessions 12 and 13). Linux sets the
/// thread's nice value (per thread there), Windows its ThreadPriority; elsewhere (macOS: the nice value is per process)
/// the priority stays as it is. Threads the lowered thread starts (the GC's background thread, if its collection is
/// the first) inherit its nice value on Linux.
/// </summary>
internal static class LoweredPriorityThread
{
    /// <summary>The nice value Linux gets for <paramref name="priority"/>: 19 is the lowest, which still runs whenever a core is idle.</summary>
    public static int NiceOf(CpuPriority priority) => priority switch
    {
        CpuPriority.BelowNormal => 10,
        CpuPriority.Lowest => 19,
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, "not a CPU priority"),
    };

    /// <summary>
    /// Runs <paramref name="work"/> on a new background thread named <paramref name="name"/> at
    /// <paramref name="priority"/>; the task completes as the work does (faulted or canceled as it is).
    /// <paramref name="lowered"/> is told whether the priority could be lowered.
    /// </summary>
    public static Task RunAsync(string name, CpuPriority priority, Func<Task> work, Action<bool>? lowered = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        _ = NiceOf(priority); // an unknown priority fails here, not on the new thread
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var wasLowered = LowerCurrentThread(priority);
                lowered?.Invoke(wasLowered);
                AsyncContext.Run(work);
                done.SetResult();
            }
            catch (OperationCanceledException canceled)
            {
                done.SetCanceled(canceled.CancellationToken);
            }
            catch (Exception error)
            {
                done.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Lowers the calling thread's priority; false where this platform has no per-thread way to, or it refused.</summary>
    private static bool LowerCurrentThread(CpuPriority priority)
    {
        if (OperatingSystem.IsWindows())
        {
            Thread.CurrentThread.Priority = priority == CpuPriority.Lowest ? ThreadPriority.Lowest : ThreadPriority.BelowNormal;
            return true;
        }

        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "setpriority", out var address))
        {
            return false;
        }

        // PRIO_PROCESS with who = 0 is the calling thread on Linux. Called through a delegate, as NativeHeapSettings does.
        var setPriority = Marshal.GetDelegateForFunctionPointer<SetPriority>(address);
        return setPriority(0, 0, NiceOf(priority)) == 0;
    }

    /// <summary>glibc's <c>int setpriority(int which, id_t who, int prio)</c>: 0 on success.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetPriority(int which, uint who, int prio);
}
