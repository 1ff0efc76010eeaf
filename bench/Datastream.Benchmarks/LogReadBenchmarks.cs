using BenchmarkDotNet.Attributes;
using Datastream.Embedded;
using Datastream.Pipelines.Log;

namespace Datastream.Benchmarks;

/// <summary>
/// ConsumeKafka on the embedded log: a consumer group member polling a backlog back in index-and-export's batches
/// (IndexAndExport:BatchSize records per poll), from the first offset to the last. Figures are per record.
/// Each invocation rewinds to the start (the group never commits), so every one reads the same records.
/// </summary>
[MemoryDiagnoser]
public class LogReadBenchmarks
{
    private const int Records = 100_000;
    private const int PollSize = 20_000;
    private const int ProduceBatch = 5_000;
    private const string Topic = "rides_result";

    private readonly string _work = Path.Combine(Path.GetTempPath(), "datastream-bench", $"log-read-{Environment.ProcessId}");
    private SqliteLog _log = null!;
    private ILogConsumer _consumer = null!;

    [GlobalSetup]
    public void GlobalSetup()
    {
        Directory.CreateDirectory(_work);
        _log = new SqliteLog(new EmbeddedLogOptions(_work));
        _log.CreateTopicAsync(new TopicSpec(Topic)).AsTask().GetAwaiter().GetResult();
        var producer = _log.CreateProducer();
        try
        {
            // Keyed by ride id, as compute-cost writes rides_result; values are ride JSON of the same size class.
            var values = RawRideBatch.Generate(Records, seed: 20251030);
            for (var first = 0; first < Records; first += ProduceBatch)
            {
                var batch = values.Skip(first).Take(ProduceBatch)
                    .Select(value => new OutgoingRecord(Topic, value.AsMemory(12, 36), value))
                    .ToList();
                producer.ProduceAsync(batch).AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            producer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _consumer = _log.CreateConsumer(new ConsumerSpec("bench-read", [Topic]));
        ReadBacklog(); // joins the group and takes the partition, outside the measurement
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long ReadBacklog()
    {
        _consumer.RewindToCommittedAsync().AsTask().GetAwaiter().GetResult();
        long read = 0;
        long lastOffset = -1;
        while (read < Records)
        {
            var records = _consumer.PollAsync(PollSize, TimeSpan.FromSeconds(5)).AsTask().GetAwaiter().GetResult();
            if (records.Count == 0)
            {
                throw new InvalidOperationException($"the poll came back empty after {read} of {Records} records");
            }

            read += records.Count;
            lastOffset = records[^1].Offset;
        }

        // Every record once, in order: a short or repeated read would pass for a fast one.
        if (read != Records || lastOffset != Records - 1)
        {
            throw new InvalidOperationException($"read {read} records ending at offset {lastOffset}, expected {Records} ending at {Records - 1}");
        }

        return read;
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        _consumer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_work, recursive: true);
    }
}
