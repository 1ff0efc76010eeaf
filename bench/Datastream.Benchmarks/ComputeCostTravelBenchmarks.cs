using BenchmarkDotNet.Attributes;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Benchmarks;

/// <summary>The hot path of compute-cost: one thread pricing a batch of ~300-byte records into a reused buffer.</summary>
[MemoryDiagnoser]
public class ComputeCostTravelBenchmarks
{
    private const int BatchSize = 10_000;
    private static readonly DateTime LogTimestamp = new(2025, 10, 30, 16, 9, 47, DateTimeKind.Utc);

    // The processing time the ts limits are measured from: read once, as the pipeline does per batch.
    private static readonly DateTime Now = DateTime.UtcNow;

    private byte[][] _records = [];
    private readonly ComputeCostTravel _transform = new();
    private readonly RideResultBuffer _results = new();

    [GlobalSetup]
    public void Setup()
    {
        _records = RawRideBatch.Generate(BatchSize, seed: 20251030);
        TransformBatch(); // size the result buffer once, as a long-running pipeline would
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int TransformBatch()
    {
        _results.Clear();
        int rejected = 0;
        foreach (byte[] record in _records)
        {
            if (!_transform.TryTransform(record, LogTimestamp, Now, _results, out Rejection _))
            {
                rejected++;
            }
        }

        return rejected;
    }
}
