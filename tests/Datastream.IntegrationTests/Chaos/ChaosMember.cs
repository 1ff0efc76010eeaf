namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// One member of the chaos run (the producer, compute-cost, an index-and-export) as a succession of CLI processes:
/// started, killed with SIGKILL by the schedule, started again. An exit the schedule did not cause is recorded with
/// the end of its log, and the member is started again too: what it lost must still be recovered.
/// </summary>
public sealed class ChaosMember(string name, string dataDir, Func<Task<IReadOnlyList<string>>> arguments, IReadOnlyDictionary<string, string> environment, bool killable)
    : IDisposable
{
    private readonly List<string> _unexpectedExits = [];
    private DatastreamProcess? _process;

    public string Name => name;

    /// <summary>False for a member the run must not kill (the producer on Kafka, whose sends are not transactions).</summary>
    public bool Killable => killable;

    public int Starts { get; private set; }

    public int Kills { get; private set; }

    /// <summary>A producer that sent all it had and exited 0: not started again.</summary>
    public bool Finished { get; private set; }

    /// <summary>"batch failed" lines its processes logged: the outages' evidence that the sinks really failed.</summary>
    public int FailedBatches { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Exits nobody asked for: exit code and the last lines of the log of each.</summary>
    public IReadOnlyList<string> UnexpectedExits => _unexpectedExits;

    public async Task StartAsync()
    {
        Forget();
        _process = DatastreamProcess.Start(dataDir, await arguments(), environment);
        Starts++;
    }

    /// <summary>kill -9 of the running process.</summary>
    public void Kill()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill();
        Forget();
        Kills++;
    }

    /// <summary>
    /// True when the process ended by itself since the last look: a producer's exit 0 makes it finished, any other exit
    /// is recorded as unexpected (the caller starts it again).
    /// </summary>
    public async Task<bool> EndedByItselfAsync(bool finishedOnSuccess)
    {
        if (_process is not { HasExited: true } process)
        {
            return false;
        }

        int code = await process.WaitAsync(TimeSpan.FromSeconds(30));
        if (code == 0 && finishedOnSuccess)
        {
            Finished = true;
        }
        else
        {
            var tail = process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(6);
            _unexpectedExits.Add($"{name} exited {code} by itself (start #{Starts}); its log ends:{Environment.NewLine}    {string.Join(Environment.NewLine + "    ", tail)}");
        }

        Forget();
        return true;
    }

    public void Dispose() => Forget();

    private void Forget()
    {
        if (_process is null)
        {
            return;
        }

        FailedBatches += _process.Stderr.Split("batch failed").Length - 1;
        _process.Dispose();
        _process = null;
    }
}
