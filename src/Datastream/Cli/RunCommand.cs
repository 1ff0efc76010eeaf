using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Datastream.Core.Clustering;
using Datastream.Core.Dlq;
using Datastream.Hosting;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Lake;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Producer;
using Datastream.Pipelines.Running;
using Datastream.Web;
using Microsoft.Extensions.Logging;

namespace Datastream.Cli;

/// <summary>`datastream run`: the producer and the pipelines in one process, with a summary at the end.</summary>
public static partial class RunCommand
{
    /// <summary>
    /// The lake's first files roll this soon rather than after Lake:RollSeconds (60 s), so revenue shows within seconds
    /// of the start (SPEC §4: within 15 s); later rolls keep the configured interval, so a long run adds just one small
    /// file per source partition and hour. Only where a roll happens changes: every lake guarantee (files named by
    /// source offsets, published through the commit, exactly once) holds as for any other roll.
    /// </summary>
    private static readonly TimeSpan FirstRoll = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions SummaryJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var options = new ProducerOptions();
        var noWeb = new Option<bool>("--no-web") { Description = "Do not start the web app" };
        var urls = WebUrls.Option();
        var keepServing = new Option<bool>("--keep-serving") { Description = "After the run stops, keep the web app up with the final figures until Ctrl-C" };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object on stdout" };
        var command = new Command("run", "Producer, compute-cost and index-and-export in one process on the configured engines");
        options.AddTo(command);
        command.Options.Add(noWeb);
        command.Options.Add(urls);
        command.Options.Add(keepServing);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var limits = options.Limits(parse, sourceIsFinite: false);
            var generator = options.Generator(parse, env.Tariffs, env.ComputeCost.Transform.MaxMessageBytes);
            bool web = !parse.GetValue(noWeb);
            var webUrls = WebUrls.Parse(parse.GetValue(urls) ?? WebUrls.Default);
            // Checked before any engine opens: a missing admin token is a usage error, not a failure half-way.
            var access = web ? AdminAccess.For(webUrls) : null;
            var log = env.Log;
            await env.EnsureTopicsAsync(log);
            using var metrics = new DatastreamMetrics();
            var producerLogger = env.Logger<RideProducer>();
            var producer = new RideProducer(log, env.Topics.Raw, producerLogger, metrics);
            var computeCostLogger = env.Logger<ComputeCostPipeline>();
            var pipeline = new ComputeCostPipeline(log, env.ComputeCost, metrics, computeCostLogger);
            await using var lake = await env.OpenLakeAsync(FirstRoll);
            var export = new IndexAndExportPipeline(log, env.IndexWriter, lake, env.IndexAndExport, metrics, env.Logger<IndexAndExportPipeline>());
            bool computeCostDone = false;
            double computeCostSeconds = 0;
            double exportSeconds = 0;
            // Analytics: a model (trained now if there is none) and revenue over the lake, refreshed while running. With
            // the web app the training runs beside the pipelines, so the dashboard shows revenue within seconds; without
            // it, first: training takes a core for seconds, and a throughput run (--no-web) measured 25k instead of 40k
            // rides/s over 100,000 rides with it alongside.
            var model = AnalyticsCommand.LoadOrStartTraining(env.DataDir);
            if (!web)
            {
                await model;
            }

            var warehouse = env.RevenueWarehouse;
            var liveTerminal = parse.GetValue(json) ? null : env.Logging.Terminal;
            var revenue = new RevenueRefresh(warehouse, model, env.Logger<RevenueRefresh>()) { RefreshLogLevel = liveTerminal is null ? LogLevel.Information : LogLevel.Debug };
            var memory = new MemorySampler();
            var exportTimeline = new ThroughputTimeline(() => export.Progress.Consumed);
            using var webStop = CancellationTokenSource.CreateLinkedTokenSource(env.Stop);
            var webApp = web ? await StartWebAppAsync(env, log, lake, model, revenue, pipeline, export, webUrls, access!, webStop.Token) : null;
            var clock = Stopwatch.StartNew();
            bool producerDone = false;

            PipelineFailedException? died = null;
            // On a terminal one live line replaces the periodic info logs (revenue's go to debug); elsewhere nothing changes.
            await using (RunStatusLine.Start(liveTerminal, () => new RunStatus(
                producer.Produced,
                new RunStatus.Pipeline(pipeline.Progress.Consumed, pipeline.Progress.Lag.Sum(l => l.Lag)),
                new RunStatus.Pipeline(export.Progress.Consumed, export.Progress.Lag.Sum(l => l.Lag)),
                pipeline.Progress.Dlq + export.Progress.Dlq,
                export.Progress.RideToIndexed.Percentile(0.99),
                revenue.Latest?.Sum(r => r.Revenue),
                revenue.Latest?.Sum(r => r.Count) ?? 0)))
            {
                var sampling = memory.RunAsync(env.Stop);
                var timing = exportTimeline.RunAsync(env.Stop);
                using var revenueStop = CancellationTokenSource.CreateLinkedTokenSource(env.Stop);
                var refreshing = revenue.RunAsync(TimeSpan.FromSeconds(10), revenueStop.Token);
                // The pipeline drains what the producer sent, then stops; Ctrl-C stops both after their batch in hand,
                // and so does a pipeline that dies: the producer and the other pipeline stop, and the run names it.
                using var supervisor = new PipelineSupervisor(env.Stop);
                supervisor.Start(async stop =>
                {
                    try
                    {
                        // At full rate compute-cost yields to index-and-export, the stage that bounds the run; at a set rate
                        // both keep up and run as they would as separate services.
                        await RunLoweredAtFullRate(limits, ComputeCostPipeline.Name, CpuPriority.BelowNormal, computeCostLogger,
                            () => pipeline.RunAsync(() => Volatile.Read(ref producerDone), stop));
                    }
                    finally
                    {
                        computeCostSeconds = clock.Elapsed.TotalSeconds;
                        Volatile.Write(ref computeCostDone, true);
                    }
                });
                supervisor.Start(async stop =>
                {
                    try
                    {
                        await export.RunAsync(() => Volatile.Read(ref computeCostDone), stop);
                    }
                    finally
                    {
                        exportSeconds = clock.Elapsed.TotalSeconds;
                        exportTimeline.Stop();
                    }
                });
                try
                {
                    // At full rate the producer takes only the CPU the pipelines leave. At a set rate it keeps its schedule
                    // at normal priority: a ride's ts is when it was due, whatever the pipelines are doing, as it would be
                    // for traffic from outside.
                    await RunLoweredAtFullRate(limits, "producer", CpuPriority.Lowest, producerLogger,
                        () => producer.RunAsync(new GeneratedRideSource(generator), limits, supervisor.Stopping));
                }
                finally
                {
                    Volatile.Write(ref producerDone, true);
                }

                try
                {
                    await supervisor.WhenAllStoppedAsync();
                }
                catch (PipelineFailedException error)
                {
                    died = error;
                }

                await revenueStop.CancelAsync();
                await refreshing;
                memory.Stop();
                await sampling;
                await timing;
            }

            if (died is not null)
            {
                // No summary of a run cut short: the one line DatastreamCli writes names the pipeline and its error.
                await StopWebAppAsync(env, webApp, parse.GetValue(keepServing), webStop);
                throw died;
            }

            double seconds = clock.Elapsed.TotalSeconds;
            // After the pipelines: the final revenue over everything the lake holds now.
            var revenueRows = await revenue.RefreshAsync(CancellationToken.None);
            var progress = pipeline.Progress;
            var exported = export.Progress;
            var summary = new
            {
                produced = producer.Produced,
                raw = progress.Consumed,
                result = progress.Produced,
                dlq = progress.Dlq + exported.Dlq,
                dlq_by_kind = Enum.GetValues<RejectionKind>().ToDictionary(k => k.WireName(), k => progress.DlqOf(k) + exported.DlqOf(k)),
                indexed = exported.Indexed,
                lake_rows = exported.LakeRows,
                lake_files = exported.LakeFiles,
                seconds = Math.Round(seconds, 3),
                // End to end: rides that went through both pipelines, per second of the whole run.
                rides_per_second = Math.Round(exported.Consumed / Math.Max(0.001, seconds), 1),
                // Ride ts → indexed (the producer stamps ts when it sends the ride).
                latency_ms = new { p50 = exported.RideToIndexed.Percentile(0.50), p99 = exported.RideToIndexed.Percentile(0.99) },
                // compute-cost alone: its records over the time until it had drained rides_raw.
                compute_cost = PipelineSummary(progress, computeCostSeconds),
                // index-and-export: its records over the time until it had drained rides_result (the run's end, but
                // for the final revenue refresh).
                // Flat as the data grows: its rate over the first quarter of the rides vs the last.
                index_and_export = PipelineSummary(exported, exportSeconds, exportTimeline.RatesByQuarter()),
                lake = lake.Location,
                revenue = revenueRows is null ? null : AnalyticsCommand.RevenueJson(revenueRows),
                memory_mb = memory.Summary(),
                engines = new { log = log.Engine, index = env.IndexWriter.Engine, lake = env.Engines.Lake.ToString().ToLowerInvariant() },
            };

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(summary, SummaryJson));
            }
            else
            {
                Console.Out.WriteLine($"produced {summary.produced}, consumed {summary.raw}: {summary.result} results, {summary.dlq} dead letters; {summary.indexed} indexed, {summary.lake_rows} lake rows in {summary.lake_files} files; {summary.seconds:F1} s ({summary.rides_per_second:F0} rides/s end to end)");
                Console.Out.WriteLine($"latency (ride ts → indexed) p50 {summary.latency_ms.p50} ms, p99 {summary.latency_ms.p99} ms; resident memory peak {summary.memory_mb.Peak} MB; lake {summary.lake}");
            }

            await StopWebAppAsync(env, webApp, parse.GetValue(keepServing), webStop);
            return DatastreamCli.Success;
        });
        return command;
    }

    /// <summary>
    /// Runs one stage of `run`: at full rate (<c>--rate 0</c>) on a thread of its own at <paramref name="priority"/>
    /// (LoweredPriorityThread says why), saying so in the log; at a set rate as it is, at normal priority.
    /// </summary>
    private static Task RunLoweredAtFullRate(ProduceLimits limits, string stage, CpuPriority priority, ILogger logger, Func<Task> work) =>
        limits.Rate == 0
            ? LoweredPriorityThread.RunAsync(stage, priority, work, lowered =>
            {
                if (lowered)
                {
                    LogLowered(logger, stage, priority, LoweredPriorityThread.NiceOf(priority));
                }
                else
                {
                    LogNotLowered(logger, stage);
                }
            })
            : work();

    [LoggerMessage(EventId = 0, Level = LogLevel.Debug, Message = "{Stage} runs at {Priority} CPU priority (nice {Nice} on Linux): it yields the CPU to the stages after it")]
    private static partial void LogLowered(ILogger logger, string stage, CpuPriority priority, int nice);

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "{Stage} runs at normal CPU priority (no per-thread priority on this platform, or it was refused): at full rate it competes with the stages after it for CPU")]
    private static partial void LogNotLowered(ILogger logger, string stage);

    /// <summary>
    /// One pipeline in the summary: its rate over the time until it had drained its input, the latency of its commits
    /// (a record's log timestamp → committed) and the microseconds of each of its stages per record consumed.
    /// </summary>
    private static PipelineRunSummary PipelineSummary(PipelineProgress progress, double seconds, IReadOnlyList<double>? ratesByQuarter = null) => new(
        Math.Round(seconds, 3),
        Math.Round(progress.Consumed / Math.Max(0.001, seconds), 1),
        new LatencySummary(progress.Latency.Percentile(0.50), progress.Latency.Percentile(0.99)),
        progress.Stages.Seconds().ToDictionary(s => s.Key, s => Math.Round(s.Value * 1e6 / Math.Max(1, progress.Consumed), 2)),
        ratesByQuarter);

    private sealed record PipelineRunSummary(
        double Seconds,
        double RidesPerSecond,
        LatencySummary LatencyMs,
        Dictionary<string, double> StageUsPerRide,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<double>? RidesPerSecondByQuarter);

    private sealed record LatencySummary(double P50, double P99);

    /// <summary>With --keep-serving the web app stays up after the run (its final figures, or the pipeline that died and /readyz 503) until Ctrl-C.</summary>
    private static async Task StopWebAppAsync(CommandEnvironment env, RunningWebApp? webApp, bool keepServing, CancellationTokenSource webStop)
    {
        if (webApp is null)
        {
            return;
        }

        if (keepServing && !env.Stop.IsCancellationRequested)
        {
            env.Logger<DatastreamWebApp>().LogInformation("the run is over; the web app stays up on {Urls} until Ctrl-C", string.Join(' ', webApp.Urls));
            await env.UntilStoppedAsync();
        }

        await webStop.CancelAsync();
        await webApp.DisposeAsync();
    }

    /// <summary>The web app over this run's engines and pipelines.</summary>
    private static Task<RunningWebApp> StartWebAppAsync(CommandEnvironment env, ILog log, IRideLake lake, Task<KMeansModel> model, RevenueRefresh revenue,
        ComputeCostPipeline pipeline, IndexAndExportPipeline export, IReadOnlyList<string> urls, AdminAccess access, CancellationToken stop)
    {
        var topics = env.Topics;
        PipelineView[] views = [PipelineView.Of(pipeline, topics), PipelineView.Of(export, topics, env.IndexWriter.Engine, lake.Location)];
        var feed = new DeadLetterFeed(log, topics.Dlq, env.Logger<DeadLetterFeed>());
        // "Rides produced" counts rides_raw, as `serve` does: the dashboard's counters all cover the whole data dir.
        var system = new RunningSystem(env.Search, model, revenue, views, feed, new RawTopicSize(log, topics.Raw), log.Engine, lake.Location);
        return RunningWebApp.StartAsync(env, views, system, urls, access, stop);
    }

}
