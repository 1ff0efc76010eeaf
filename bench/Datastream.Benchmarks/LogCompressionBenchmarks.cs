using System.Text;
using BenchmarkDotNet.Attributes;
using Datastream.Core.Dlq;
using Datastream.Core.Rides;
using Datastream.Embedded;
using Datastream.Pipelines.Log;

namespace Datastream.Benchmarks;

/// <summary>
/// The embedded log's batch codecs on ride records (rides_raw and the rides_result JSON priced from them, keyed by
/// ride id), per record: compressing and decompressing one batch as the log does, and appending to and reading from a
/// real log file with each codec. GlobalSetup prints the compression ratio and the file's bytes per record.
/// </summary>
[MemoryDiagnoser]
public class LogCompressionBenchmarks
{
    /// <summary>Records per batch and per produce call: compute-cost's default batch size.</summary>
    private const int BatchRecords = 5_000;

    /// <summary>Records read per Read invocation: two produce calls' worth, so reads cross batch rows.</summary>
    private const int ReadRecords = 2 * BatchRecords;

    private static readonly DateTime LogTimestamp = new(2025, 10, 30, 16, 9, 47, DateTimeKind.Utc);

    private List<OutgoingRecord> _records = [];
    private byte[] _batch = [];
    private byte[] _stored = [];
    private byte[] _decompressed = [];
    private RecordBatchCodec _codec = null!;
    private string _directory = "";
    private SqliteLog _log = null!;
    private ILogProducer _producer = null!;
    private ILogConsumer _consumer = null!;

    [Params(LogCompression.None, LogCompression.Lz4, LogCompression.Zstd)]
    public LogCompression Compression { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _records = RideRecords(BatchRecords);
        var builder = new RecordBatchBuilder();
        foreach (var record in _records)
        {
            builder.Add(new DateTimeOffset(LogTimestamp).ToUnixTimeMilliseconds(), record.Key.Span, record.Value.Span);
        }

        _batch = builder.Records.ToArray();
        _codec = new RecordBatchCodec(Compression);
        _stored = _codec.Encode(_batch, out var codec).ToArray();
        Console.WriteLine($"// {Compression}: batch of {BatchRecords} records, {_batch.Length} bytes -> {_stored.Length} stored as {codec} " +
            $"(ratio {(double)_batch.Length / _stored.Length:F2}, {(double)_stored.Length / BatchRecords:F1} B per record)");

        _directory = Directory.CreateTempSubdirectory("datastream-bench-log-").FullName;
        _log = new SqliteLog(new EmbeddedLogOptions(_directory) { Compression = Compression });
        _log.CreateTopicAsync(new TopicSpec("appended")).AsTask().GetAwaiter().GetResult();
        _log.CreateTopicAsync(new TopicSpec("read")).AsTask().GetAwaiter().GetResult();
        _producer = _log.CreateProducer();
        for (var i = 0; i < ReadRecords / BatchRecords; i++)
        {
            _producer.ProduceAsync(_records.Select(r => r with { Topic = "read" }).ToList()).AsTask().GetAwaiter().GetResult();
        }

        var file = new FileInfo(Path.Combine(_directory, "log.db"));
        var wal = new FileInfo(file.FullName + "-wal");
        Console.WriteLine($"// {Compression}: log.db + wal after {ReadRecords} records: {file.Length + (wal.Exists ? wal.Length : 0)} bytes");
        _consumer = _log.CreateConsumer(new ConsumerSpec("bench", ["read"]));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _consumer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _producer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _codec.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One batch row's records compressed as the appender does (None: the copy into the row's array).</summary>
    [Benchmark(OperationsPerInvoke = BatchRecords)]
    public int CompressBatch() => _codec.Encode(_batch, out _).Length;

    /// <summary>One stored batch decompressed into a reused buffer, as a cursor does.</summary>
    [Benchmark(OperationsPerInvoke = BatchRecords)]
    public int DecompressBatch() => _codec.Decode(Compression, _stored, ref _decompressed).Length;

    /// <summary>A produce call of one batch: encode, compress, one row insert, commit.</summary>
    [Benchmark(OperationsPerInvoke = BatchRecords)]
    public void Append() => _producer.ProduceAsync(_records).AsTask().GetAwaiter().GetResult();

    /// <summary>Polls of 1,000 records from the start of the topic through two batch rows, into LogRecords.</summary>
    [Benchmark(OperationsPerInvoke = ReadRecords)]
    public int Read()
    {
        _consumer.RewindToCommittedAsync().AsTask().GetAwaiter().GetResult();
        var read = 0;
        while (read < ReadRecords)
        {
            var records = _consumer.PollAsync(1_000, TimeSpan.FromSeconds(1)).AsTask().GetAwaiter().GetResult();
            if (records.Count == 0)
            {
                throw new InvalidOperationException($"the log returned {read} of {ReadRecords} records");
            }

            read += records.Count;
        }

        return read;
    }

    /// <summary>Half rides_raw records, half the rides_result records compute-cost priced from them.</summary>
    private static List<OutgoingRecord> RideRecords(int count)
    {
        var raw = RawRideBatch.Generate(count / 2, seed: 20251030, invalidShare: 0);
        var results = new RideResultBuffer();
        var transform = new ComputeCostTravel();
        foreach (var record in raw)
        {
            transform.TryTransform(record, LogTimestamp, LogTimestamp, results, out Rejection _);
        }

        if (results.Count != raw.Length)
        {
            throw new InvalidOperationException($"{raw.Length - results.Count} generated rides were rejected: the pairs would not match");
        }

        var records = new List<OutgoingRecord>(count);
        for (var i = 0; i < results.Count; i++)
        {
            var key = Encoding.UTF8.GetBytes(results.RideId(i).ToString());
            records.Add(new OutgoingRecord("appended", key, raw[i]));
            records.Add(new OutgoingRecord("appended", key, results.Value(i).ToArray()));
        }

        return records;
    }
}
