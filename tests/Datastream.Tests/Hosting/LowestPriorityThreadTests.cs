using Datastream.Hosting;

namespace Datastream.Tests.Hosting;

public sealed class LowestPriorityThreadTests
{
    /// <summary>The work and everything after its awaits run on the one lowered thread, never on a pool thread.</summary>
    [Fact]
    public async Task Work_and_its_continuations_run_on_one_lowered_thread()
    {
        bool? lowered = null;
        var seen = new List<(int Thread, string? Name, int? Nice)>();
        await LowestPriorityThread.RunAsync("lowest-priority-test", async () =>
        {
            seen.Add(Here());
            await Task.Yield();
            seen.Add(Here());
            await Task.Delay(20, TestContext.Current.CancellationToken);
            seen.Add(Here());
        }, result => lowered = result);

        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsWindows(), lowered);
        Assert.Equal(3, seen.Count);
        Assert.Single(seen.Distinct());
        Assert.NotEqual(Environment.CurrentManagedThreadId, seen[0].Thread);
        Assert.Equal("lowest-priority-test", seen[0].Name);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(LowestPriorityThread.Nice, seen[0].Nice);
            // Only that thread: the caller's stays as it was.
            Assert.NotEqual(LowestPriorityThread.Nice, CurrentThreadNice());
        }

        static (int, string?, int?) Here() => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name,
            OperatingSystem.IsLinux() ? CurrentThreadNice() : null);
    }

    /// <summary>The calling thread's nice value on Linux (/proc/thread-self/stat, field 19).</summary>
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, nice field 19.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_failure_or_a_cancellation_of_the_work_is_the_tasks()
    {
        var failed = LowestPriorityThread.RunAsync("failing", async () =>
        {
            await Task.Yield();
            throw new InvalidDataException("the source broke");
        });
        Assert.Equal("the source broke", (await Assert.ThrowsAsync<InvalidDataException>(() => failed)).Message);

        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var canceled = LowestPriorityThread.RunAsync("canceled", () => Task.Delay(Timeout.Infinite, stop.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.True(canceled.IsCanceled);
    }
}
