using BenchmarkDotNet.Attributes;
using Datastream.Core.Rides;
using Datastream.Lake;

namespace Datastream.Benchmarks;

/// <summary>
/// PutGCP's encoding: one lake file (one row group, the lake's default of at most 100,000 rows) written from the
/// column buffer the lake fills, into a reused in-memory stream, so the figure is Parquet encoding and compression
/// only, no disk. Figures are per ride.
/// </summary>
[MemoryDiagnoser]
public class ParquetEncodeBenchmarks
{
    /// <summary>LakeOptions.MaxRowsPerFile's default: the rows of one file.</summary>
    private const int Rides = 100_000;

    private readonly MemoryStream _output = new();
    private LakeFileBuffer _rows = null!;

    [Params(LakeCompression.Snappy, LakeCompression.Zstd)]
    public LakeCompression Compression { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        var rides = FlatRideBatch.Generate(0, Rides, seed: 20251030);
        _rows = new LakeFileBuffer(sourcePartition: 0, LakeFileKey.HourOf(rides[0].TsUtc), firstOffset: 0);
        foreach (var ride in rides)
        {
            _rows.Add(ride);
        }

        // Once, outside the measurement: the file must read back as the rides, or the figure would be of a wrong encoder.
        EncodeFile();
        _output.Position = 0;
        var back = RideParquetFormat.ReadAsync(_output).AsTask().GetAwaiter().GetResult();
        if (back.Count != Rides || back[0] != rides[0] || back[^1] != rides[^1])
        {
            throw new InvalidOperationException($"the encoded file reads back as {back.Count} rides that differ from the {Rides} written");
        }
    }

    [Benchmark(OperationsPerInvoke = Rides)]
    public long EncodeFile()
    {
        _output.SetLength(0);
        RideParquetFormat.WriteAsync(_output, _rows, Compression, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _output.Length;
    }
}
