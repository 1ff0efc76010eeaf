using System.Diagnostics;
using System.Globalization;
using Datastream.Pipelines.Log;
using Microsoft.Data.Sqlite;

namespace Datastream.IntegrationTests.Chaos;

/// <summary>
/// One chaos run on one data dir: the producer, compute-cost and two index-and-export members as separate CLI
/// processes; a seeded schedule of SIGKILLs across them (each killed process started again after a short random
/// pause), an index outage and then a lake outage in the middle, bad records injected into rides_result at three
/// moments. Then every member runs --until-idle to the end with no kill, `stats --check` runs, and the
/// <see cref="ChaosAudit"/> reads back the topics, the index and the lake.
/// </summary>
public sealed class ChaosRun(ChaosSettings settings, string dataDir, TopicSet topics, IReadOnlyDictionary<string, string> engineEnvironment,
    Func<ILog> openLog, bool producerKillable, bool logHonoursTransactions, int finalIndexMembers = 2)
{
    private static readonly TimeSpan FinalStepTimeout = TimeSpan.FromMinutes(20);

    private readonly List<string> _events = [];
    private readonly Dictionary<string, string> _environment = new(engineEnvironment)
    {
        // Small batches and files, frequent flushes: kills land in the middle of batches and between a lake flush
        // and its offset commit, not only between runs.
        ["DATASTREAM__IndexAndExport__BatchSize"] = "2000",
        ["DATASTREAM__Lake__MaxRowsPerFile"] = "5000",
        ["DATASTREAM__Lake__RollSeconds"] = "2",
        // Back within 2 s of a sink's return, so that the outages end inside the run rather than in a 30 s backoff.
        ["DATASTREAM__IndexAndExport__MaxRetryDelay"] = "00:00:02",
        ["DATASTREAM__ComputeCost__MaxRetryDelay"] = "00:00:02",
    };

    private ChaosBacklog? _backlog;

    private TimeSpan Window => settings.ChaosWindow;

    public async Task<ChaosAudit> ExecuteAsync()
    {
        var wall = Stopwatch.StartNew();
        Say($"chaos run: {settings}; engine {(_environment.GetValueOrDefault("DATASTREAM_LOG") ?? "embedded")}, window {Window.TotalSeconds:F0} s");
        var backlog = _backlog = ChaosBacklog.Create(settings.Rides, settings.Seed);
        await OkAsync(["topics", "create"]);

        // The input arrives over most of the window, so that the pipelines have work in hand through both outages.
        double rate = Math.Max(1, settings.Rides / (Window.TotalSeconds * 0.9));
        int producerStarts = 0;
        using var producer = new ChaosMember("producer", dataDir, async () =>
        {
            // A restarted producer sends what rides_raw does not hold yet.
            string file = Path.Combine(dataDir, $"input-{++producerStarts}.jsonl");
            backlog.WriteLines(file, await ProducedAsync());
            return ["produce", "--from-file", file, "--rate", rate.ToString("F0", CultureInfo.InvariantCulture)];
        }, _environment, producerKillable);
        using var computeCost = Pipeline("compute-cost", "compute-cost");
        using var indexA = Pipeline("index-and-export#1", "index-and-export");
        using var indexB = Pipeline("index-and-export#2", "index-and-export");
        ChaosMember[] members = [producer, computeCost, indexA, indexB];

        using var indexOutage = new IndexOutage(Path.Combine(dataDir, "index.db"));
        using var lakeOutage = new LakeOutage(Path.Combine(dataDir, "lake"));
        var injections = new List<DatastreamProcess>();
        try
        {
            await ScheduleAsync(members, indexOutage, lakeOutage, injections);
        }
        finally
        {
            indexOutage.End();
            lakeOutage.End();
            foreach (var member in members)
            {
                member.Dispose();
            }
        }

        foreach (var injection in injections)
        {
            int code = await injection.WaitAsync(FinalStepTimeout);
            Assert.True(code == 0, $"injecting bad records into {topics.Result} failed ({code}): {injection.Stderr}");
            injection.Dispose();
        }

        Say($"chaos over after {wall.Elapsed.TotalSeconds:F0} s; now every member runs --until-idle, with no kill");
        if (!producer.Finished)
        {
            int from = await ProducedAsync();
            string rest = Path.Combine(dataDir, "input-rest.jsonl");
            backlog.WriteLines(rest, from);
            await OkAsync(["produce", "--from-file", rest]);
        }

        await OkAsync(["pipeline", "compute-cost", "--until-idle"]);
        await Task.WhenAll(Enumerable.Range(0, finalIndexMembers).Select(_ => OkAsync(["pipeline", "index-and-export", "--until-idle"])));
        var (statsCode, statsOut, statsErr) = await DatastreamProcess.RunAsync(dataDir, ["stats", "--check"], FinalStepTimeout, _environment);

        var audit = await AuditAsync(backlog);
        string stats = $"stats --check exited {statsCode}: {statsErr.Trim()} {statsOut.Trim()}";
        if (statsCode != 0 && logHonoursTransactions)
        {
            audit.AddProblem(stats);
        }
        else if (statsCode != 0)
        {
            // The check starts from compute-cost's committed offsets, which the mock cluster never stores (they are
            // sent in transactions): it reads rides_raw as never consumed whatever the pipelines did. Shown, not failed.
            audit.AddFigure($"{stats} (not a verdict on the mock cluster: it stores no offsets sent in a transaction)");
        }

        foreach (var exit in members.SelectMany(m => m.UnexpectedExits))
        {
            audit.AddProblem(exit);
        }

        audit.AddFigure($"kills: {members.Sum(m => m.Kills)} ({string.Join(", ", members.Select(m => $"{m.Name} {m.Kills}"))}); "
            + $"processes started {members.Sum(m => m.Starts)}; exits nobody asked for {members.Sum(m => m.UnexpectedExits.Count)}; "
            + $"failed batches retried {string.Join(", ", members.Select(m => $"{m.Name} {m.FailedBatches}"))}");
        audit.AddFigure($"outages: {string.Join("; ", _events.Where(e => e.Contains("outage", StringComparison.Ordinal)))}");
        audit.AddFigure($"lake temporary files left behind: {LeftoverTemporaryFiles()}");
        audit.AddFigure($"wall time {wall.Elapsed.TotalSeconds:F0} s; {settings}");
        foreach (string figure in audit.Figures)
        {
            Say(figure);
        }

        return audit;
    }

    private ChaosMember Pipeline(string name, string pipeline) =>
        new(name, dataDir, () => Task.FromResult<IReadOnlyList<string>>(["pipeline", pipeline]), _environment, killable: true);

    /// <summary>The kills, restarts, outages and injections, on one timeline from the seed; returns when all are done.</summary>
    private async Task ScheduleAsync(ChaosMember[] members, IndexOutage indexOutage, LakeOutage lakeOutage, List<DatastreamProcess> injections)
    {
        // Not the backlog's generator: the schedule stays the same whatever the input generation draws.
        var random = new Random(settings.Seed ^ 0x5EED);
        var kills = new Queue<TimeSpan>(Enumerable.Range(0, settings.Kills).Select(_ => Window * (0.05 + 0.9 * random.NextDouble())).Order());
        var indexDown = Window * 0.2;
        var indexUp = indexDown + settings.IndexOutage;
        var lakeDown = indexUp + TimeSpan.FromSeconds(1);
        var lakeUp = lakeDown + settings.LakeOutage;
        var injectAt = new Queue<TimeSpan>([Window * 0.15, Window * 0.4, Window * 0.65]);
        int injected = 0, perInjection = (_backlog!.BadResults.Count + 2) / 3;
        var restarts = new List<(TimeSpan At, ChaosMember Member)>();

        foreach (var member in members)
        {
            await member.StartAsync();
        }

        var clock = Stopwatch.StartNew();
        while (kills.Count > 0 || restarts.Count > 0 || injectAt.Count > 0 || indexOutage.IsDown || lakeOutage.IsDown || clock.Elapsed < lakeUp)
        {
            var now = clock.Elapsed;
            if (settings.IndexOutage > TimeSpan.Zero && now >= indexDown && now < indexUp && !indexOutage.IsDown)
            {
                await indexOutage.BeginAsync();
                Note($"index outage from {clock.Elapsed.TotalSeconds:F1} s");
            }
            else if (indexOutage.IsDown && now >= indexUp)
            {
                indexOutage.End();
                Note($"index outage until {clock.Elapsed.TotalSeconds:F1} s");
            }

            if (settings.LakeOutage > TimeSpan.Zero && now >= lakeDown && now < lakeUp && !lakeOutage.IsDown)
            {
                lakeOutage.Begin();
                Note($"lake outage from {clock.Elapsed.TotalSeconds:F1} s");
            }
            else if (lakeOutage.IsDown && now >= lakeUp)
            {
                lakeOutage.End();
                Note($"lake outage until {clock.Elapsed.TotalSeconds:F1} s");
            }

            if (injectAt.TryPeek(out var at) && now >= at)
            {
                injectAt.Dequeue();
                string file = Path.Combine(dataDir, $"bad-results-{injected}.jsonl");
                _backlog.WriteBadResults(file, injected * perInjection, perInjection);
                injected++;
                // The producer's own command with the result topic as its target: a writer the pipelines do not know.
                injections.Add(DatastreamProcess.Start(dataDir, ["produce", "--from-file", file], new Dictionary<string, string>(_environment) { ["RAW_TOPIC"] = topics.Result }));
            }

            if (kills.TryPeek(out var killAt) && now >= killAt)
            {
                // Random among the running members killed least so far: the kills spread over every member.
                var running = members.Where(m => m.Killable && m.IsRunning).ToList();
                running = running.Where(m => m.Kills == running.Min(r => r.Kills)).ToList();
                if (running.Count > 0)
                {
                    kills.Dequeue();
                    var victim = running[random.Next(running.Count)];
                    victim.Kill();
                    restarts.Add((now + TimeSpan.FromMilliseconds(random.Next(100, 1000)), victim));
                    Note($"kill -9 {victim.Name} at {now.TotalSeconds:F1} s");
                }
            }

            foreach (var member in members.Where(m => !m.IsRunning && !m.Finished && restarts.All(r => r.Member != m)))
            {
                if (await member.EndedByItselfAsync(finishedOnSuccess: member.Name == "producer") && !member.Finished)
                {
                    Note($"{member.Name} exited by itself at {now.TotalSeconds:F1} s");
                    restarts.Add((now + TimeSpan.FromMilliseconds(random.Next(100, 1000)), member));
                }
            }

            foreach (var restart in restarts.Where(r => now >= r.At).ToList())
            {
                restarts.Remove(restart);
                await restart.Member.StartAsync();
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>How many input lines rides_raw holds: a producer's send is one transaction on the embedded log, so they are a prefix of the file.</summary>
    private async Task<int> ProducedAsync()
    {
        await using var log = openLog();
        var raw = await log.DescribeTopicAsync(topics.Raw);
        return checked((int)(raw?.RecordCount ?? 0));
    }

    private async Task<ChaosAudit> AuditAsync(ChaosBacklog backlog)
    {
        List<LogRecord> raw, result, dlq;
        await using (var log = openLog())
        {
            raw = await TopicContents.ReadAllAsync(log, topics.Raw);
            result = await TopicContents.ReadAllAsync(log, topics.Result);
            dlq = await TopicContents.ReadAllAsync(log, topics.Dlq);
        }

        var lake = await LakeReader.ReadAsync(Path.Combine(dataDir, "lake"));
        return ChaosAudit.Check(backlog, topics, raw, result, dlq, IndexedRideIds(), lake, logHonoursTransactions);
    }

    /// <summary>Every ride_id row of the embedded index, read from its SQLite file directly.</summary>
    private List<Guid> IndexedRideIds()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "index.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT ride_id FROM rides";
        using var reader = select.ExecuteReader();
        var ids = new List<Guid>();
        while (reader.Read())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private int LeftoverTemporaryFiles()
    {
        string lake = Path.Combine(dataDir, "lake");
        return Directory.Exists(lake) ? Directory.EnumerateFiles(lake, ".*.tmp", SearchOption.AllDirectories).Count() : 0;
    }

    private async Task OkAsync(string[] args)
    {
        var (code, _, stderr) = await DatastreamProcess.RunAsync(dataDir, args, FinalStepTimeout, _environment);
        Assert.True(code == 0, $"datastream {string.Join(' ', args)} exited {code}: {stderr}");
    }

    private void Note(string chaosEvent)
    {
        _events.Add(chaosEvent);
        Say(chaosEvent);
    }

    /// <summary>
    /// To the test's output, and to the file DATASTREAM_CHAOS_REPORT names when set: a passing test's output is not shown,
    /// and the long run's figures are what its operator reads.
    /// </summary>
    private static void Say(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("DATASTREAM_CHAOS_REPORT") is { Length: > 0 } report)
        {
            File.AppendAllText(report, line + Environment.NewLine);
        }
    }
}
