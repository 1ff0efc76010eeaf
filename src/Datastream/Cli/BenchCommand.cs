using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Datastream.Core.Rides;

namespace Datastream.Cli;

/// <summary>
/// `datastream bench transform --input F.jsonl`: ComputeCostTravel single-threaded over a file held in memory, the
/// same code path as the pipeline minus the log. One warm-up pass (JIT, tiered compilation), then timed passes; the
/// best pass is reported.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "JSONL file, one rides_raw record per line", Required = true };
        var passes = new Option<int>("--passes") { Description = "Timed passes over the file (the best is reported)", DefaultValueFactory = _ => 3 };
        var transform = new Command("transform", "Measure ComputeCostTravel throughput on a file") { input, passes };
        transform.SetAction(parse =>
        {
            string path = parse.GetValue(input)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"--input: file '{path}' does not exist");
            }

            int passCount = parse.GetValue(passes);
            if (passCount < 1)
            {
                throw new UsageException($"--passes: {passCount} must be at least 1");
            }

            var records = ReadLines(path);
            var timestamp = DateTime.UtcNow;
            var computeCostTravel = new ComputeCostTravel(new ComputeCostOptions());
            var results = new RideResultBuffer();
            var (valid, invalid) = Pass(records, computeCostTravel, results, timestamp);
            double best = double.MaxValue;
            for (int i = 0; i < passCount; i++)
            {
                var clock = Stopwatch.StartNew();
                Pass(records, computeCostTravel, results, timestamp);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                records = records.Count,
                valid,
                invalid,
                seconds = Math.Round(best, 4),
                records_per_second = Math.Round(records.Count / best, 0),
                bytes = records.Sum(r => (long)r.Length),
            }));
            return DatastreamCli.Success;
        });

        return new Command("bench", "Micro-benchmarks of the domain") { transform };
    }

    private static (long Valid, long Invalid) Pass(List<byte[]> records, ComputeCostTravel computeCostTravel, RideResultBuffer results, DateTime timestamp)
    {
        long valid = 0;
        long invalid = 0;
        foreach (var record in records)
        {
            // Clear as the pipeline does per batch, so the buffer stays in cache.
            if (results.Count >= 1000)
            {
                results.Clear();
            }

            if (computeCostTravel.TryTransform(record, timestamp, timestamp, results, out _))
            {
                valid++;
            }
            else
            {
                invalid++;
            }
        }

        results.Clear();
        return (valid, invalid);
    }

    private static List<byte[]> ReadLines(string path)
    {
        using var source = new JsonLinesFileSource(path);
        var lines = new List<byte[]>();
        while (source.TryNext(DateTime.UtcNow, out var line))
        {
            lines.Add(line.ToArray());
        }

        return lines;
    }
}
