using BenchmarkDotNet.Attributes;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;

namespace Datastream.Benchmarks;

/// <summary>
/// index-and-export's per-ride parse: TransformJSON flattening a batch of rides_result documents as compute-cost
/// writes them (made here by pricing a raw batch, so they are byte for byte what the pipeline reads).
/// </summary>
[MemoryDiagnoser]
public class FlattenBenchmarks
{
    private const int BatchSize = 10_000;

    // The processing time the ts limits are measured from, and the agent_timestamp stamped on every ride.
    private static readonly DateTime Now = DateTime.UtcNow;

    private byte[][] _results = [];

    [GlobalSetup]
    public void Setup()
    {
        var transform = new ComputeCostTravel();
        var buffer = new RideResultBuffer();
        foreach (byte[] record in RawRideBatch.Generate(BatchSize, seed: 20251030, invalidShare: 0))
        {
            if (!transform.TryTransform(record, Now, Now, buffer, out Rejection rejection))
            {
                throw new InvalidOperationException("compute-cost refused a valid raw record: " + rejection);
            }
        }

        _results = new byte[buffer.Count][];
        for (int i = 0; i < buffer.Count; i++)
        {
            _results[i] = buffer.Value(i).ToArray();
        }

        if (FlattenBatch() != 0)
        {
            throw new InvalidOperationException("TransformJSON refused a result of compute-cost: the benchmark would measure rejections");
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int FlattenBatch()
    {
        int refused = 0;
        foreach (byte[] result in _results)
        {
            if (!TransformJson.TryFlatten(result, Now, out FlatRide _, out Rejection _))
            {
                refused++;
            }
        }

        return refused;
    }
}
