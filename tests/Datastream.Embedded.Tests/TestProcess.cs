using System.Diagnostics;

namespace Datastream.Embedded.Tests;

/// <summary>Runs Datastream.Embedded.TestProcess (copied to testprocess/ by the build) as a separate OS process.</summary>
internal sealed class TestProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private TestProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static TestProcess Start(params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "testprocess", "Datastream.Embedded.TestProcess.dll");
        Assert.True(File.Exists(dll), $"test process not built at {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new TestProcess(Process.Start(start)!);
    }

    /// <summary>Waits for exit and returns stdout; fails the test on a non-zero exit code.</summary>
    public async Task<string> CompleteAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(45));
        await _process.WaitForExitAsync(deadline.Token);
        var output = await _stdout;
        Assert.True(_process.ExitCode == 0, $"test process exited {_process.ExitCode}: {await _stderr}");
        return output.Trim();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
