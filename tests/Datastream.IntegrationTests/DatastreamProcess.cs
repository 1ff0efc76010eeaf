using System.Diagnostics;
using System.Text;

namespace Datastream.IntegrationTests;

/// <summary>Starts the built `datastream` CLI (src/Datastream/bin/...) as a child process on a given data dir.</summary>
public sealed class DatastreamProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DatastreamProcess(string dataDir, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dataDir,
        };
        info.ArgumentList.Add(CliPath);
        info.ArgumentList.Add("--data-dir");
        info.ArgumentList.Add(dataDir);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data, _stdoutClosed);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data, _stderrClosed);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string CliPath { get; } = RepositoryRoot.Cli;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static DatastreamProcess Start(string dataDir, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
        => new(dataDir, args, environment);

    /// <summary>Runs to completion and returns the exit code; fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dataDir, IReadOnlyList<string> args,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var p = Start(dataDir, args, environment);
        int code = await p.WaitAsync(timeout ?? TimeSpan.FromMinutes(3));
        return (code, p.Stdout, p.Stderr);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"datastream did not exit within {timeout}; stderr: {Stderr}");
        }

        return _process.ExitCode;
    }

    /// <summary>
    /// Where the web app listens, from the "web app listening on" line it logs (with --urls on port 0 the only way to
    /// know the port); an app on every interface is reached through loopback.
    /// </summary>
    public async Task<Uri> WebAddressAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = System.Text.RegularExpressions.Regex.Match(Stderr, @"web app listening on (?<url>http://\S+)");
            if (match.Success)
            {
                return new UriBuilder(match.Groups["url"].Value) { Host = "127.0.0.1" }.Uri;
            }

            if (DateTime.UtcNow > deadline || HasExited)
            {
                throw new TimeoutException($"datastream did not say 'web app listening on' within {timeout.TotalSeconds:F0} s (exited: {HasExited}); stderr: {Stderr}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no chance to clean up, as in a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM: the graceful stop an orchestrator sends.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }

}
