using System.CommandLine;
using Datastream.Hosting;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Metrics;

namespace Datastream.Cli;

/// <summary>`datastream pipeline compute-cost [--until-idle]`: one pipeline, as one Airflow DAG run or as a long-running worker.</summary>
public static class PipelineCommand
{
    public static Command Create()
    {
        var untilIdle = new Option<bool>("--until-idle") { Description = "Exit once the input has been fully consumed" };
        var computeCost = new Command(ComputeCostPipeline.Name, "DAG#1: ConsumeKafka → ComputeCostTravel → PublishKafka (rides_raw → rides_result + rides_dlq)")
        {
            untilIdle,
        };
        computeCost.SetAction(async (parse, cancellation) =>
        {
            using var env = CommandEnvironment.From(parse, cancellation);
            await using var log = Engines.OpenLog(env.Settings);
            await Engines.EnsureTopicsAsync(log, env.Settings, env.Stop);
            using var metrics = new DatastreamMetrics();
            var pipeline = new ComputeCostPipeline(log, env.Settings.ComputeCost, metrics, env.Logger<ComputeCostPipeline>());
            bool idleExit = parse.GetValue(untilIdle);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using (new StatusLine(() => $"{ComputeCostPipeline.Name}: {pipeline.Progress.State}, consumed {pipeline.Progress.Consumed}, results {pipeline.Progress.Produced}, dlq {pipeline.Progress.Dlq}, lag {pipeline.Progress.Lag.Sum(l => l.Lag)}"))
            {
                await pipeline.RunAsync(idleExit ? () => true : null, env.Stop);
            }

            var p = pipeline.Progress;
            Console.Error.WriteLine($"{ComputeCostPipeline.Name}: consumed {p.Consumed} records in {clock.Elapsed.TotalSeconds:F1} s: {p.Produced} results, {p.Dlq} dead letters");
            return DatastreamCli.Success;
        });

        return new Command("pipeline", "Run one pipeline") { computeCost };
    }
}
