using Datastream.Core.Rides;
using Datastream.Pipelines.Lake;

namespace Datastream.Lake;

/// <summary>
/// The lake (SPEC §3.7) as Parquet files in an <see cref="ILakeStore"/>: rows are buffered column by column per
/// (source partition, hour of ts) and each buffer becomes one file, one row group, at flush. File names come from
/// source offsets, so a replay after a crash rewrites the same keys, and <see cref="RemoveUncommittedAsync"/> clears
/// what an uncommitted flush left before a replay that may cut its files elsewhere. Disposing drops the buffer
/// (its rows were not committed and will be read again) and disposes the store. Not thread-safe.
/// </summary>
public sealed class ParquetRideLake : IRideLake
{
    // Uncompressed size of a row once written: 36 chars of id, about 6 of comfort, 11 doubles, 2 timestamps.
    private const int ApproxBytesPerRow = 36 + 6 + 11 * 8 + 2 * 8;

    private readonly ILakeStore _store;
    private readonly LakeOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<(int Partition, long HourTicks), LakeFileBuffer> _buffers = [];
    private DateTime? _oldestAddedUtc;

    /// <param name="store">Where files go; disposed with the lake.</param>
    /// <param name="options">Layout and rolling; defaults when null.</param>
    /// <param name="time">Stamps when the oldest buffered row arrived, for the roll interval; the system clock when null.</param>
    public ParquetRideLake(ILakeStore store, LakeOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new LakeOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
    }

    public string Location => _store.Location.TrimEnd('/') + "/" + _options.Prefix;

    public int BufferedRows { get; private set; }

    public long BufferedBytes => (long)BufferedRows * ApproxBytesPerRow;

    public void Add(int sourcePartition, long sourceOffset, in FlatRide ride)
    {
        var hour = LakeFileKey.HourOf(ride.TsUtc);
        if (!_buffers.TryGetValue((sourcePartition, hour.Ticks), out var columns))
        {
            columns = new LakeFileBuffer(sourcePartition, hour, sourceOffset);
            _buffers.Add((sourcePartition, hour.Ticks), columns);
        }

        columns.Add(ride);
        _oldestAddedUtc ??= _time.GetUtcNow().UtcDateTime;
        BufferedRows++;
    }

    public bool ShouldFlush(DateTime nowUtc) =>
        BufferedRows > 0
        && (BufferedRows >= _options.MaxRowsPerFile
            || BufferedBytes >= _options.MaxBytes
            || nowUtc - _oldestAddedUtc >= _options.RollInterval);

    public async ValueTask<LakeFlush> FlushAsync(CancellationToken cancellationToken = default)
    {
        var files = 0;
        long rows = 0;
        // Each buffer leaves only once its file is visible: a failed flush can be retried and rewrites the same keys.
        foreach (var (slot, columns) in _buffers.OrderBy(b => b.Key).ToArray())
        {
            var compression = _options.Compression;
            await _store.WriteAsync(
                columns.FileKey.ToKey(_options.Prefix),
                (stream, ct) => RideParquetFormat.WriteAsync(stream, columns, compression, ct),
                cancellationToken).ConfigureAwait(false);
            _buffers.Remove(slot);
            BufferedRows -= columns.Count;
            files++;
            rows += columns.Count;
        }

        _oldestAddedUtc = null;
        return new LakeFlush(files, rows);
    }

    public async ValueTask<int> RemoveUncommittedAsync(int sourcePartition, long fromOffset, CancellationToken cancellationToken = default)
    {
        // The hour of an uncommitted file is unknown (event time can be anything), so every hour is listed.
        var doomed = new List<string>();
        await foreach (var key in _store.ListAsync(_options.Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (LakeFileKey.TryParseName(key, out var partition, out var firstOffset)
                && partition == sourcePartition
                && firstOffset >= fromOffset)
            {
                doomed.Add(key);
            }
        }

        foreach (var key in doomed)
        {
            await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return doomed.Count;
    }

    public void DiscardBuffered()
    {
        _buffers.Clear();
        BufferedRows = 0;
        _oldestAddedUtc = null;
    }

    public ValueTask DisposeAsync()
    {
        DiscardBuffered();
        return _store.DisposeAsync();
    }
}
