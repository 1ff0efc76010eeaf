using System.Globalization;
using Datastream.Core.Generation;
using Datastream.Kafka;
using Datastream.Kafka.Testing;
using Datastream.Pipelines;
using Datastream.Pipelines.Producer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Benchmarks.Kafka;

/// <summary>
/// Issue 14's Kafka figure: <c>kafka [--count N] [--passes P] [--warmup W] [--partitions N] [--commit-every K]</c> starts
/// librdkafka's mock cluster, writes N generated rides_raw records (1 % invalid) to a topic of 6 partitions, then
/// alternates, P passes each, (a) the bare transactional consume → produce loop and (b) compute-cost over the Kafka
/// engine on that same input, each pass with a fresh group and fresh output topics, and prints each one's steady
/// rate and their ratio per pass, then the medians. The first W passes (1 by default) warm the JIT and the mock up
/// and are printed but left out of the medians: a cold first pass runs the pipeline at about half speed.
/// Exit code 2 on a usage error.
/// </summary>
internal static class KafkaCommand
{
    private const string Usage = "usage: kafka [--count N] [--passes P] [--warmup W] [--partitions N] [--commit-every K]";

    /// <summary>As the pipeline tests do: too_large rejects stay small, so the mock's 5 MiB per partition keeps every record.</summary>
    private const int MaxMessageBytes = 4096;

    public static async Task<int> RunAsync(string[] args)
    {
        int count = 200_000;
        int passes = 5;
        int warmup = 1;
        int partitions = 6;
        int commitEvery = 5000;
        bool parsed = BenchArguments.TryApply(args, Usage, (option, value) =>
        {
            bool ok = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && (number > 0 || option == "--warmup");
            switch (option)
            {
                case "--count" when ok: count = number; return true;
                case "--passes" when ok: passes = number; return true;
                case "--warmup" when ok: warmup = number; return true;
                case "--partitions" when ok: partitions = number; return true;
                case "--commit-every" when ok: commitEvery = number; return true;
                default: return false;
            }
        });
        if (!parsed)
        {
            return 2;
        }

        using var cluster = new MockKafkaCluster();
        await using var log = new KafkaLog(cluster.Options());
        string raw = cluster.NewTopicName("rides_raw");
        cluster.CreateTopic(raw, partitions);
        await ProduceRidesAsync(cluster, raw, count);
        Console.WriteLine($"{count:N0} rides_raw records on {partitions} partitions; commit every {commitEvery:N0}; {warmup} warm-up + {passes} passes each, alternating");

        var bare = new BareTransactionalLoop(cluster.BootstrapServers, commitEvery);
        var computeCost = new ComputeCostOnKafka(log, commitEvery, MaxMessageBytes);
        var bareRates = new List<double>();
        var pipelineRates = new List<double>();
        var ratios = new List<double>();
        for (int pass = 1 - warmup; pass <= passes; pass++)
        {
            string bareOutput = cluster.NewTopicName("bare_out");
            cluster.CreateTopic(bareOutput, partitions);
            var bareRate = bare.Run(raw, bareOutput, cluster.NewTopicName("bare"), count);

            var topics = new TopicNames(raw, cluster.NewTopicName("rides_result"), cluster.NewTopicName("rides_dlq"));
            cluster.CreateTopic(topics.Result, partitions);
            cluster.CreateTopic(topics.Dlq, partitions);
            var pipelineRate = await computeCost.RunAsync(topics, cluster.NewTopicName("compute-cost"), count);

            double ratio = pipelineRate.PerSecond / bareRate.PerSecond;
            Console.WriteLine($"{(pass < 1 ? "warm-up" : $"pass {pass}")}: bare {bareRate} | compute-cost {pipelineRate} | ratio {ratio:P0}");
            if (pass < 1)
            {
                continue;
            }

            bareRates.Add(bareRate.PerSecond);
            pipelineRates.Add(pipelineRate.PerSecond);
            ratios.Add(ratio);
        }

        Console.WriteLine($"median: bare {Median(bareRates):N0} msg/s, compute-cost {Median(pipelineRates):N0} msg/s, ratio {Median(ratios):P0} (per-pass ratios {string.Join(", ", ratios.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)))})");
        return 0;
    }

    private static async Task ProduceRidesAsync(MockKafkaCluster cluster, string topic, int count)
    {
        // Unkeyed records spread one by one (the sticky partitioner would pile whole batches on a few partitions), in
        // full batches whatever the load on the host: lz4 then keeps each partition under the mock's 5 MiB.
        var options = cluster.Options();
        var spread = new Dictionary<string, string>(options.Extra) { ["sticky.partitioning.linger.ms"] = "0", ["linger.ms"] = "100" };
        await using var log = new KafkaLog(options with { Extra = spread });
        var random = new Random(20251030);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions { InvalidRatio = 0.01, MaxMessageBytes = MaxMessageBytes });
        var producer = new RideProducer(log, topic, NullLogger<RideProducer>.Instance);
        await producer.RunAsync(new GeneratedRideSource(generator), new ProduceLimits(count, null, 0), CancellationToken.None);
        var description = await log.DescribeTopicAsync(topic) ?? throw new InvalidOperationException($"{topic} vanished");
        long kept = description.Partitions.Sum(p => p.EndOffset - p.StartOffset);
        if (kept != count)
        {
            // The mock keeps ~5 MiB per partition and silently drops the oldest beyond that.
            throw new InvalidOperationException($"the mock kept {kept} of {count} records of {topic}: use fewer records or more partitions");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
