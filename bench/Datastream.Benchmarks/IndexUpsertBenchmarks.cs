using BenchmarkDotNet.Attributes;
using Datastream.Core.Rides;
using Datastream.Embedded.Index;

namespace Datastream.Benchmarks;

/// <summary>
/// PutElasticSearch on the embedded index: one <see cref="SqliteRideIndex.UpsertAsync"/> of a batch of new rides (the
/// size index-and-export writes per batch by default) into a table already holding <see cref="RowsBefore"/> rides.
/// Figures are per ride.
///
/// How the table grows: it does not, across the measurement. Every iteration starts from a fresh copy of the same
/// prefilled file (<see cref="PrefilledIndexCache"/>) and makes exactly one upsert, so each figure is "one batch into
/// a table of exactly N rows" (N, then N + batch at its end: +2 % at 1M). The copy is written to disk (fsync) before
/// the measurement, so its write-back does not land in it. What the copy loses: the writer's SQLite page cache starts
/// with only what the one-ride opening write read (a running pipeline's holds the newest ride_keys generation and
/// the tables' right edges); the OS page cache holds the file, as it would for a running pipeline.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(8)]
public class IndexUpsertBenchmarks
{
    /// <summary>IndexAndExport:BatchSize's default: the rides of one index write.</summary>
    private const int BatchSize = 20_000;

    private readonly string _work = Path.Combine(Path.GetTempPath(), "datastream-bench", $"index-run-{Environment.ProcessId}");
    private string _prefilled = "";
    private FlatRide[] _batch = [];
    private FlatRide[] _opening = [];
    private SqliteRideIndex? _index;

    [Params(0, 1_000_000, 5_000_000)]
    public int RowsBefore { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _prefilled = PrefilledIndexCache.FileWith(RowsBefore);
        // The next rides of the same stream: new ride ids, ts after every prefilled ride, as a live pipeline sees them.
        _batch = FlatRideBatch.Generate(RowsBefore, BatchSize, PrefilledIndexCache.Seed);
        _opening = FlatRideBatch.Generate(RowsBefore + BatchSize, 1, PrefilledIndexCache.Seed);
    }

    [IterationSetup]
    public void IterationSetup()
    {
        Directory.CreateDirectory(_work);
        var options = new EmbeddedIndexOptions(_work);
        File.Copy(_prefilled, options.DatabasePath, overwrite: true);
        using (var copy = new FileStream(options.DatabasePath, FileMode.Open, FileAccess.ReadWrite))
        {
            copy.Flush(flushToDisk: true);
        }

        _index = new SqliteRideIndex(options);
        // A writer reads every stored ride_id into its filter at its first write, once per process: one ride written
        // here keeps that out of the measured upsert, as a running pipeline has long paid it.
        _index.UpsertAsync(_opening).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int UpsertBatch()
    {
        var rejected = _index!.UpsertAsync(_batch).AsTask().GetAwaiter().GetResult();
        return rejected.Count;
    }

    /// <summary>Checks the upsert really added the batch (a silent no-op would read as a fast index), then drops the copy.</summary>
    [IterationCleanup]
    public void IterationCleanup()
    {
        var count = _index!.CountAsync().AsTask().GetAwaiter().GetResult();
        _index.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _index = null;
        if (count != RowsBefore + BatchSize + 1)
        {
            throw new InvalidOperationException($"the index holds {count} rides after the upsert, expected {RowsBefore + BatchSize + 1}");
        }

        Directory.Delete(_work, recursive: true);
    }
}
