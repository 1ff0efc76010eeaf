using System.Runtime.InteropServices;
using Nito.AsyncEx;

namespace Datastream.Hosting;

/// <summary>
/// Runs async work on a thread of its own at the lowest CPU priority, its continuations included (a single-threaded
/// context: Nito's AsyncContext). `run --rate 0` runs its producer there. The producer stands in for traffic from outside,
/// and "as fast as possible" should mean as fast as the pipelines take rides in: at equal priority it took a third of
/// the two cores to pile up a backlog in the log while the index writer, the run's bottleneck, waited for CPU
/// (docs/performance.md, session 12). Linux sets the thread's nice value to 19 (the nice value is per thread there),
/// Windows ThreadPriority.Lowest; elsewhere (macOS: the nice value is per process) the priority stays as it is.
/// </summary>
internal static class LowestPriorityThread
{
    /// <summary>The nice value set on Linux: the lowest priority, which still runs whenever a core is idle.</summary>
    public const int Nice = 19;

    /// <summary>
    /// Runs <paramref name="work"/> on a new background thread named <paramref name="name"/>; the task completes as
    /// the work does (faulted or canceled as it is). <paramref name="lowered"/> is told whether the priority could be lowered.
    /// </summary>
    public static Task RunAsync(string name, Func<Task> work, Action<bool>? lowered = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                lowered?.Invoke(LowerCurrentThread());
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
    internal static bool LowerCurrentThread()
    {
        if (OperatingSystem.IsWindows())
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
            return true;
        }

        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "setpriority", out var address))
        {
            return false;
        }

        // PRIO_PROCESS with who = 0 is the calling thread on Linux. Called through a delegate, as NativeHeapSettings does.
        var setPriority = Marshal.GetDelegateForFunctionPointer<SetPriority>(address);
        return setPriority(0, 0, Nice) == 0;
    }

    /// <summary>glibc's <c>int setpriority(int which, id_t who, int prio)</c>: 0 on success.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetPriority(int which, uint who, int prio);
}
