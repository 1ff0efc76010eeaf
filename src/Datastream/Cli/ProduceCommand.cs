using System.CommandLine;
using Datastream.Hosting;
using Datastream.Pipelines.Producer;

namespace Datastream.Cli;

/// <summary>`datastream produce`: sends generated rides, or a file's lines, to rides_raw.</summary>
public static class ProduceCommand
{
    public static Command Create()
    {
        var options = new ProducerOptions();
        var fromFile = new Option<string?>("--from-file") { Description = "Send each line of this JSONL file unchanged as one record" };
        var command = new Command("produce", "Send ride requests to rides_raw");
        options.AddTo(command);
        command.Options.Add(fromFile);
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            string? file = parse.GetValue(fromFile);
            if (file is not null && (parse.GetResult(options.InvalidRatio) is not null || parse.GetResult(options.Reference) is not null))
            {
                throw new UsageException("--from-file sends the file's lines as they are; --invalid-ratio and --reference apply to generated rides only");
            }

            var limits = options.Limits(parse, sourceIsFinite: file is not null);
            using var fileSource = file is null ? null : new JsonLinesFileSource(file);
            IRecordSource source = fileSource ?? (IRecordSource)new GeneratedRideSource(options.Generator(parse, env.Tariffs, env.ComputeCost.Transform.MaxMessageBytes));
            if (file is null && limits.Count is null && limits.Duration is null)
            {
                Console.Error.WriteLine("producing until Ctrl-C (use --count or --duration to stop by itself)");
            }

            var log = env.Log;
            await env.EnsureTopicsAsync(log);
            var producer = new RideProducer(log, env.Topics.Raw, env.Logger<RideProducer>());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using (new StatusLine(() => ProgressText(producer.Produced, limits.Count, clock.Elapsed)))
            {
                await producer.RunAsync(source, limits, env.Stop);
            }

            Console.Error.WriteLine($"produced {producer.Produced} records to {env.Topics.Raw} in {clock.Elapsed.TotalSeconds:F1} s");
            if (producer.Refused > 0)
            {
                // Everything else was sent; the refused records are named in the log (warnings) and still in the source.
                Console.Error.WriteLine($"error: {producer.Refused} records were not sent: over the log's record-size cap of {log.MaxRecordBytes} bytes (see the warnings above)");
                return DatastreamCli.RuntimeFailure;
            }

            return DatastreamCli.Success;
        });
        return command;
    }

    private static string ProgressText(long produced, long? count, TimeSpan elapsed)
    {
        double rate = produced / Math.Max(0.001, elapsed.TotalSeconds);
        string of = count is { } n && n > 0 ? $" / {n} ({100.0 * produced / n:F0}%)" : "";
        return $"produced {produced}{of}  {rate:F0}/s  {elapsed:hh\\:mm\\:ss}";
    }
}
