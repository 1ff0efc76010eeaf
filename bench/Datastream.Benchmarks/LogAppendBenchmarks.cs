using BenchmarkDotNet.Attributes;
using Datastream.Embedded;
using Datastream.Pipelines.Log;

namespace Datastream.Benchmarks;

/// <summary>
/// The embedded log's append: one <see cref="ILogProducer.ProduceAsync"/> of a producer-sized batch of rides_raw
/// records (one write transaction, one record batch row). Figures are per record.
///
/// The topic grows by one batch per invocation over the run (a few hundred MB at most): appends go to the end of the
/// partition's table and never read older batches, so its size does not enter the figure, as in a long-running
/// producer. Retention is checked as the producer does (every 30 s; nothing is old enough to delete).
/// </summary>
[MemoryDiagnoser]
public class LogAppendBenchmarks
{
    /// <summary>The producer's batch (ProduceLimits.MaxBatch): records per transaction.</summary>
    private const int BatchSize = 5_000;

    private const string Topic = "rides_raw";

    private readonly string _work = Path.Combine(Path.GetTempPath(), "datastream-bench", $"log-append-{Environment.ProcessId}");
    private SqliteLog _log = null!;
    private ILogProducer _producer = null!;
    private OutgoingRecord[] _records = [];
    private long _appended;

    [GlobalSetup]
    public void GlobalSetup()
    {
        Directory.CreateDirectory(_work);
        _log = new SqliteLog(new EmbeddedLogOptions(_work));
        _log.CreateTopicAsync(new TopicSpec(Topic)).AsTask().GetAwaiter().GetResult();
        _producer = _log.CreateProducer();
        // Unkeyed, as the producer sends rides_raw.
        _records = [.. RawRideBatch.Generate(BatchSize, seed: 20251030).Select(value => new OutgoingRecord(Topic, ReadOnlyMemory<byte>.Empty, value))];
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void AppendBatch()
    {
        _producer.ProduceAsync(_records).AsTask().GetAwaiter().GetResult();
        _appended += BatchSize;
    }

    /// <summary>The appends must all be there: a log that dropped batches would read as a fast one.</summary>
    [GlobalCleanup]
    public void GlobalCleanup()
    {
        try
        {
            _producer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var partition = _log.DescribeTopicAsync(Topic).AsTask().GetAwaiter().GetResult()!.Partitions[0];
            if (partition.EndOffset != _appended)
            {
                throw new InvalidOperationException($"{Topic} ends at offset {partition.EndOffset} after {_appended} records were appended");
            }
        }
        finally
        {
            _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(_work, recursive: true);
        }
    }
}
