using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Datastream.Core.Generation;
using Datastream.Core.Rides;
using Datastream.Lake;
using Datastream.Lake.Hosting;

namespace Datastream.Benchmarks.Analytics;

/// <summary>
/// <c>lake --data-dir DIR [--rides N] [--rate R] [--start ISO-8601] [--seed S]</c>: a lake of N rides for measuring
/// analytics, in minutes instead of the pipelines' hours. Each ride takes the product's path to the lake — a
/// RideGenerator record, priced by ComputeCostTravel, flattened by TransformJson, written by ParquetRideLake with the
/// default lake settings into &lt;DIR&gt;/lake — so `datastream analytics revenue --data-dir DIR` reads the same file
/// layout a run leaves. Event time advances by 1/R s per ride from --start and the lake's clock follows it, so files
/// roll as in a live run at R rides/s: at the default 100,000/s every file is MaxRowsPerFile rows, at 100/s (a
/// default `run`) a file per minute. One source partition, as the embedded log has. Exit code 2 on a usage error.
/// </summary>
internal static class LakeFillCommand
{
    private const string Usage = "usage: lake --data-dir DIR [--rides N] [--rate RIDES_PER_SECOND] [--start ISO-8601] [--seed S]";

    public static async Task<int> RunAsync(string[] args)
    {
        string dataDir = "";
        long rides = 1_000_000;
        double rate = 100_000;
        var start = new DateTime(2025, 11, 3, 8, 0, 0, DateTimeKind.Utc);
        int seed = 2014;
        bool parsed = BenchArguments.TryApply(args, Usage, (option, value) => option switch
        {
            "--data-dir" => (dataDir = value) is not null,
            "--rides" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rides) && rides > 0,
            "--rate" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) && rate > 0 && double.IsFinite(rate),
            "--start" => DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out start),
            "--seed" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed),
            _ => false,
        }, "--data-dir");
        if (!parsed)
        {
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var written = await FillAsync(Path.Combine(dataDir, "lake"), rides, rate, start, seed);
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            rides = written.Rows,
            files = written.Files,
            first_ts = start,
            last_ts = start.AddSeconds((rides - 1) / rate),
            seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
        }));
        return 0;
    }

    private static async Task<(long Rows, long Files)> FillAsync(string lakeRoot, long rides, double rate, DateTime start, int seed)
    {
        var lakeClock = new SimulatedClock(start);
        await using var lake = new ParquetRideLake(new LocalDirectoryLakeStore(lakeRoot), new LakeSettings().ToOptions(), lakeClock);
        var generator = new RideGenerator(new Random(seed), new NewYorkPickups(new Random(seed + 1)), new RideGeneratorOptions());
        var computeCostTravel = new ComputeCostTravel();
        var results = new RideResultBuffer();
        var latency = new Random(seed + 2);
        long rows = 0, files = 0;
        for (long offset = 0; offset < rides; offset++)
        {
            // Whole milliseconds: what the producer's timestamps carry.
            var ts = start.AddMilliseconds(Math.Floor(offset * 1000 / rate));
            var record = generator.Next(ts, out var invalid);
            // A few milliseconds through compute-cost and the log to index-and-export.
            var agentTimestamp = ts.AddMilliseconds(2 + latency.Next(50));
            results.Clear();
            if (invalid is not null)
            {
                throw new InvalidOperationException($"ride {offset} was generated invalid ({invalid}) with an invalid ratio of 0");
            }

            if (!computeCostTravel.TryTransform(record.Span, ts, ts, results, out var rejection)
                || !TransformJson.TryFlatten(results.Value(0), agentTimestamp, out var ride, out rejection))
            {
                throw new InvalidOperationException($"generated ride {offset} did not reach the lake: {rejection}");
            }

            lakeClock.UtcNow = agentTimestamp;
            lake.Add(0, offset, ride);
            if (lake.ShouldFlush(agentTimestamp))
            {
                var flush = await lake.FlushAsync();
                rows += flush.Rows;
                files += flush.Files;
            }
        }

        var last = await lake.FlushAsync();
        return (rows + last.Rows, files + last.Files);
    }
}
