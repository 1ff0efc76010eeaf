using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Datastream.Core.Rides;

namespace Datastream.Cli;

/// <summary>
/// `datastream bench transform --input F.jsonl`: ComputeCostTravel single-threaded over a file held in memory, the
/// same code path as the pipeline minus the log. One warm-up pass (JIT, tiered compilation), then timed passes (7 by
/// default). The host is shared and noisy (one pass can be twice as slow as the next): both the median pass, the
/// typical speed, and the best pass, the speed with the least interference, are reported;
/// <c>records_per_second</c> stays the best pass's, as it always was.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "JSONL file, one rides_raw record per line", Required = true };
        var passes = new Option<int>("--passes") { Description = "Timed passes over the file after a warm-up pass (the median and the best are reported)", DefaultValueFactory = _ => 7 };
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
            var seconds = new double[passCount];
            for (int i = 0; i < passCount; i++)
            {
                var clock = Stopwatch.StartNew();
                var counts = Pass(records, computeCostTravel, results, timestamp);
                seconds[i] = clock.Elapsed.TotalSeconds;
                if (counts != (valid, invalid))
                {
                    throw new InvalidOperationException($"pass {i + 1} found {counts.Valid} valid and {counts.Invalid} invalid records, the warm-up pass {valid} and {invalid}");
                }
            }

            double best = seconds.Min();
            double median = Median(seconds);
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                records = records.Count,
                valid,
                invalid,
                passes = passCount,
                seconds = Math.Round(best, 4),
                records_per_second = Math.Round(records.Count / best, 0),
                median_seconds = Math.Round(median, 4),
                median_records_per_second = Math.Round(records.Count / median, 0),
                bytes = records.Sum(r => (long)r.Length),
            }));
            return DatastreamCli.Success;
        });

        return new Command("bench", "Micro-benchmarks of the domain") { transform };
    }

    /// <summary>The middle pass, or the mean of the two middle ones for an even count.</summary>
    internal static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
