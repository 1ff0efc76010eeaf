using Datastream.Hosting;

namespace Datastream.Tests.Hosting;

public sealed class LoweredPriorityThreadTests
{
    /// <summary>The work and everything after its awaits run on the one lowered thread, never on a pool thread.</summary>
    [Theory]
    [InlineData(nameof(CpuPriority.BelowNormal), 10)]
    [InlineData(nameof(CpuPriority.Lowest), 19)]
    public async Task Work_and_its_continuations_run_on_one_lowered_thread(string priorityName, int nice)
    {
        var priority = Enum.Parse<CpuPriority>(priorityName);
        bool? lowered = null;
        var seen = new List<(int Thread, string? Name, int? Nice)>();
        await LoweredPriorityThread.RunAsync("lowered-priority-test", priority, async () =>
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
        Assert.Equal("lowered-priority-test", seen[0].Name);
        Assert.Equal(nice, LoweredPriorityThread.NiceOf(priority));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(nice, seen[0].Nice);
            // Only that thread: the caller's stays as it was.
            Assert.NotEqual(nice, CurrentThreadNice());
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
        var failed = LoweredPriorityThread.RunAsync("failing", CpuPriority.Lowest, async () =>
        {
            await Task.Yield();
            throw new InvalidDataException("the source broke");
        });
        Assert.Equal("the source broke", (await Assert.ThrowsAsync<InvalidDataException>(() => failed)).Message);

        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var canceled = LoweredPriorityThread.RunAsync("canceled", CpuPriority.BelowNormal, () => Task.Delay(Timeout.Infinite, stop.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.True(canceled.IsCanceled);
    }

    /// <summary>Lowered even when nobody asks whether it was (a caller without a callback once ran at normal priority).</summary>
    [Fact]
    public async Task The_thread_is_lowered_without_a_callback_too()
    {
        int? nice = null;
        await LoweredPriorityThread.RunAsync("no-callback", CpuPriority.Lowest, () =>
        {
            nice = OperatingSystem.IsLinux() ? CurrentThreadNice() : null;
            return Task.CompletedTask;
        });

        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(19, nice);
        }
    }
}
