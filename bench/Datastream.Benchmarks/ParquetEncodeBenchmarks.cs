using BenchmarkDotNet.Attributes;
using Datastream.Core.Rides;
using Datastream.Lake;
using Microsoft.IO;

namespace Datastream.Benchmarks;

/// <summary>
/// PutGCP's encoding: one lake file of 100,000 rows (LakeOptions.MaxRowsPerFile's default) written in row groups of
/// <see cref="RowGroupRows"/> as the lake writes them, from the column buffer it fills, into pooled memory, so the figure
/// is Parquet encoding and compression only, no disk. Figures are per ride.
/// </summary>
[MemoryDiagnoser]
public class ParquetEncodeBenchmarks
{
    /// <summary>LakeOptions.MaxRowsPerFile's default: the rows of one file.</summary>
    private const int Rides = 100_000;

    private readonly MemoryStream _output = new();
    private readonly RecyclableMemoryStreamManager _memory = new();
    private FlatRide[] _rides = [];
    private LakeFileBuffer _rows = null!;

    [Params(LakeCompression.Snappy, LakeCompression.Zstd)]
    public LakeCompression Compression { get; set; }

    /// <summary>LakeOptions.RowGroupRows's default, and the whole file as one row group (the lake before session 8).</summary>
    [Params(LakeOptions.DefaultRowGroupRows, Rides)]
    public int RowGroupRows { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _rides = FlatRideBatch.Generate(0, Rides, seed: 20251030);
        // Reused across files, as the lake reuses its row buffers.
        _rows = new LakeFileBuffer(sourcePartition: 0, LakeFileKey.HourOf(_rides[0].TsUtc), firstOffset: 0);

        // Once, outside the measurement: the file must read back as the rides, or the figure would be of a wrong encoder.
        EncodeFile();
        _output.Position = 0;
        var back = RideParquetFormat.ReadAsync(_output).AsTask().GetAwaiter().GetResult();
        if (back.Count != Rides || back[0] != _rides[0] || back[^1] != _rides[^1])
        {
            throw new InvalidOperationException($"the encoded file reads back as {back.Count} rides that differ from the {Rides} written");
        }
    }

    [Benchmark(OperationsPerInvoke = Rides)]
    public long EncodeFile()
    {
        _output.SetLength(0);
        _rows.Clear();
        using var file = new LakeFileWriter(_rows, _memory, Compression);
        foreach (var ride in _rides)
        {
            file.Rows.Add(ride);
            if (file.Rows.Count == RowGroupRows)
            {
                file.WriteRowGroupAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }

        file.CopyFinishedToAsync(_output, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _output.Length;
    }
}
