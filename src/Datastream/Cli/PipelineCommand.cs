using System.CommandLine;
using Datastream.Hosting;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Metrics;
using Datastream.Web;

namespace Datastream.Cli;

/// <summary>`datastream pipeline compute-cost [--until-idle]`: one pipeline, as one Airflow DAG run or as a long-running worker.</summary>
public static class PipelineCommand
{
    public static Command Create()
    {
        var untilIdle = new Option<bool>("--until-idle") { Description = "Exit once the input has been fully consumed" };
        var urls = UrlsOption();
        var computeCost = new Command(ComputeCostPipeline.Name, "DAG#1: ConsumeKafka → ComputeCostTravel → PublishKafka (rides_raw → rides_result + rides_dlq)")
        {
            untilIdle,
            urls,
        };
        computeCost.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var endpoints = PipelineEndpoints.From(parse.GetValue(urls));
            var log = env.Log;
            await env.EnsureTopicsAsync(log);
            using var metrics = new DatastreamMetrics();
            var pipeline = new ComputeCostPipeline(log, env.ComputeCost, metrics, env.Logger<ComputeCostPipeline>());
            bool idleExit = parse.GetValue(untilIdle);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using (await endpoints.StartAsync(env, PipelineView.Of(pipeline, env.Topics)))
            await using (new StatusLine(() => $"{ComputeCostPipeline.Name}: {pipeline.Progress.State}, consumed {pipeline.Progress.Consumed}, results {pipeline.Progress.Produced}, dlq {pipeline.Progress.Dlq}, lag {pipeline.Progress.Lag.Sum(l => l.Lag)}"))
            {
                await pipeline.RunAsync(idleExit ? () => true : null, env.Stop);
            }

            var p = pipeline.Progress;
            Console.Error.WriteLine($"{ComputeCostPipeline.Name}: consumed {p.Consumed} records in {clock.Elapsed.TotalSeconds:F1} s: {p.Produced} results, {p.Dlq} dead letters");
            return DatastreamCli.Success;
        });

        var exportUntilIdle = new Option<bool>("--until-idle") { Description = "Exit once rides_result has been fully consumed" };
        var fromBeginning = new Option<bool>("--from-beginning")
        {
            Description = "Backfill: rebuild the index and the lake from every retained rides_result record, in a fresh consumer group (stop the live index-and-export first)",
        };
        var exportUrls = UrlsOption();
        var indexAndExport = new Command(IndexAndExportPipeline.Name, "DAG#2: ConsumeKafka → TransformJSON → PutElasticSearch + PutGCP (rides_result → index + lake)")
        {
            exportUntilIdle,
            fromBeginning,
            exportUrls,
        };
        indexAndExport.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var settings = env.IndexAndExport;
            var endpoints = PipelineEndpoints.From(parse.GetValue(exportUrls));
            if (parse.GetValue(fromBeginning))
            {
                // A fresh group starts at the oldest retained record; the lake removes its files from there on
                // before rewriting them, and the index upserts, so the rebuild leaves each ride once.
                settings = settings with { Group = $"{settings.Group}-backfill-{DateTime.UtcNow:yyyyMMddHHmmss}" };
                Console.Error.WriteLine($"backfill in consumer group {settings.Group}");
            }

            var log = env.Log;
            await env.EnsureTopicsAsync(log);
            var index = env.IndexWriter;
            await using var lake = await env.OpenLakeAsync();
            using var metrics = new DatastreamMetrics();
            var pipeline = new IndexAndExportPipeline(log, index, lake, settings, metrics, env.Logger<IndexAndExportPipeline>());
            bool idleExit = parse.GetValue(exportUntilIdle);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using (await endpoints.StartAsync(env, PipelineView.Of(pipeline, env.Topics, index.Engine, lake.Location)))
            await using (new StatusLine(() => $"{IndexAndExportPipeline.Name}: {pipeline.Progress.State}, consumed {pipeline.Progress.Consumed}, indexed {pipeline.Progress.Indexed}, lake rows {pipeline.Progress.LakeRows}, lag {pipeline.Progress.Lag.Sum(l => l.Lag)}"))
            {
                await pipeline.RunAsync(idleExit ? () => true : null, env.Stop);
            }

            var p = pipeline.Progress;
            Console.Error.WriteLine($"{IndexAndExportPipeline.Name}: consumed {p.Consumed} records in {clock.Elapsed.TotalSeconds:F1} s: {p.Indexed} indexed, {p.LakeRows} lake rows in {p.LakeFiles} files, {p.Dlq} dead letters");
            return DatastreamCli.Success;
        });

        return new Command("pipeline", "Run one pipeline") { computeCost, indexAndExport };
    }

    private static Option<string?> UrlsOption() => new("--urls")
    {
        Description = "Serve /metrics, /healthz, /readyz and /api/pipelines (pause/resume) at this address, e.g. http://0.0.0.0:9464; beyond loopback it needs DATASTREAM_ADMIN_TOKEN",
    };
}
