using System.Globalization;
using System.Text;
using Datastream.Core.Rides;
using Datastream.Pipelines.Lake;
using Microsoft.IO;

namespace Datastream.Lake;

/// <summary>
/// The lake (SPEC §3.7) as Parquet files in an <see cref="ILakeStore"/>: rows are buffered column by column per
/// (source partition, hour of ts), encoded a row group at a time as they arrive (<see cref="WriteAheadAsync"/>), and
/// each (partition, hour) becomes one file at the next stage, held in memory until then. Files are staged, published once
/// the log committed their offsets and recovered by a partition's next owner, as <see cref="IRideLake"/> describes;
/// the staging layout is <see cref="LakeStagingKeys"/>'s. Disposing drops the buffer (its rows were not committed and
/// will be read again) and disposes the store. Not thread-safe.
/// </summary>
public sealed class ParquetRideLake : IRideLake
{
    // Uncompressed size of a row once written: 36 chars of id, about 6 of comfort, 11 doubles, 2 timestamps.
    private const int ApproxBytesPerRow = 36 + 6 + 11 * 8 + 2 * 8;

    private readonly ILakeStore _store;
    private readonly LakeOptions _options;
    private readonly LakeStagingKeys _staging;
    private readonly TimeProvider _time;
    private readonly Dictionary<(int Partition, long HourTicks), LakeFileWriter> _files = [];

    /// <summary>
    /// The encoded files' bytes until they are staged, in pooled blocks of 64 KB (under the large-object threshold) of
    /// which at most <see cref="MaxFreeMemory"/> stay pooled: a file's bytes grow by a block at a time, never by a
    /// doubling array copied whole, and go back to the pool when the file is staged.
    /// </summary>
    private readonly RecyclableMemoryStreamManager _memory = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 64 * 1024,
        MaximumSmallPoolFreeBytes = MaxFreeMemory,
        MaximumLargePoolFreeBytes = MaxFreeMemory,
    });

    private const long MaxFreeMemory = 16L * 1024 * 1024;

    /// <summary>First and last buffered offset per source partition: every row staged must lie in the range committed for it.</summary>
    private readonly Dictionary<int, (long First, long Last)> _bufferedOffsets = [];

    private DateTime? _oldestAddedUtc;

    /// <summary>
    /// Row buffers of files already written, reused for the next ones: a fresh buffer per file, grown by doubling, was a
    /// large share of the bytes index-and-export allocated (large arrays the GC keeps until a full collection).
    /// </summary>
    private readonly Stack<LakeFileBuffer> _spareBuffers = new();

    private const int MaxSpareBuffers = 16;

    /// <summary>Whether rows were staged once: from then on every roll waits the full <see cref="LakeOptions.RollInterval"/>.</summary>
    private bool _rolledOnce;

    /// <param name="store">Where files go; disposed with the lake.</param>
    /// <param name="options">Layout and rolling; defaults when null.</param>
    /// <param name="time">Stamps when the oldest buffered row arrived, for the roll interval; the system clock when null.</param>
    public ParquetRideLake(ILakeStore store, LakeOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new LakeOptions();
        _options.Validate();
        _staging = new LakeStagingKeys(_options.Prefix);
        _time = time ?? TimeProvider.System;
    }

    public string Location => _store.Location.TrimEnd('/') + "/" + _options.Prefix;

    public int BufferedRows { get; private set; }

    public long BufferedBytes => (long)BufferedRows * ApproxBytesPerRow;

    public void Add(int sourcePartition, long sourceOffset, in FlatRide ride)
    {
        var hour = LakeFileKey.HourOf(ride.TsUtc);
        if (!_files.TryGetValue((sourcePartition, hour.Ticks), out var file))
        {
            var rows = _spareBuffers.TryPop(out var spare)
                ? spare.Reuse(sourcePartition, hour, sourceOffset)
                : new LakeFileBuffer(sourcePartition, hour, sourceOffset);
            file = new LakeFileWriter(rows, _memory, _options.Compression);
            _files.Add((sourcePartition, hour.Ticks), file);
        }

        file.Rows.Add(ride);
        _bufferedOffsets[sourcePartition] = _bufferedOffsets.TryGetValue(sourcePartition, out var span) ? (span.First, sourceOffset) : (sourceOffset, sourceOffset);
        _oldestAddedUtc ??= _time.GetUtcNow().UtcDateTime;
        BufferedRows++;
    }

    /// <summary>Encodes the rows of every file that holds a full row group (<see cref="LakeOptions.RowGroupRows"/>) or more.</summary>
    public async ValueTask WriteAheadAsync(CancellationToken cancellationToken = default)
    {
        foreach (var file in _files.Values)
        {
            if (file.Rows.Count >= _options.RowGroupRows)
            {
                await file.WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public bool ShouldFlush(DateTime nowUtc) =>
        BufferedRows > 0
        && (BufferedRows >= _options.MaxRowsPerFile
            || BufferedBytes >= _options.MaxBytes
            || nowUtc - _oldestAddedUtc >= CurrentRollInterval);

    // Rolling early changes only where one file ends and the next begins: names still derive from source offsets and
    // files still publish through the log's commit, so a replay rewrites the same files (SPEC §3.7 holds).
    private TimeSpan CurrentRollInterval => !_rolledOnce && _options.FirstRollInterval is { } first && first < _options.RollInterval
        ? first
        : _options.RollInterval;

    public async ValueTask<LakeStaging> StageAsync(IReadOnlyList<LakeCommitRange> ranges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var byPartition = ranges.ToDictionary(r => r.SourcePartition);
        foreach (var (partition, (first, last)) in _bufferedOffsets)
        {
            if (!byPartition.TryGetValue(partition, out var range) || first < range.Start || last >= range.End)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Buffered rows of partition {partition} at offsets {first}..{last} lie outside the ranges being committed."),
                    nameof(ranges));
            }
        }

        var files = new List<StagedLakeFile>();
        long rows = 0;
        foreach (var range in ranges.OrderBy(r => r.SourcePartition))
        {
            var marker = new StringBuilder();
            foreach (var writer in _files.Where(b => b.Key.Partition == range.SourcePartition).OrderBy(b => b.Key.HourTicks).Select(b => b.Value))
            {
                var file = new StagedLakeFile(_staging.Staged(range, writer.FileKey.ToKey(_options.Prefix)), writer.FileKey.ToKey(_options.Prefix));
                await _store.WriteAsync(file.StagedKey, writer.CopyFinishedToAsync, cancellationToken).ConfigureAwait(false);
                files.Add(file);
                rows += writer.Count;
                marker.Append(file.FinalKey).Append('\n');
            }

            // Written last: a range without its marker was never complete, so no commit can have named it.
            var content = Encoding.UTF8.GetBytes(marker.ToString());
            await _store.WriteAsync(_staging.Marker(range), (stream, ct) => stream.WriteAsync(content, ct), cancellationToken).ConfigureAwait(false);
        }

        DiscardBuffered();
        _rolledOnce |= rows > 0;
        return new LakeStaging(ranges, files, rows);
    }

    public async ValueTask<LakeFlush> PublishAsync(LakeStaging staging, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staging);
        foreach (var file in staging.Files)
        {
            await _store.MoveAsync(file.StagedKey, file.FinalKey, cancellationToken).ConfigureAwait(false);
        }

        foreach (var range in staging.Ranges)
        {
            // Ranges that start before this one ends are settled: earlier commits (this range's marker now names the
            // last one) or writers fenced at them. A later owner's staging starts at this end or after: left alone.
            var (markers, files) = await ListStagingAsync(range.SourcePartition, cancellationToken).ConfigureAwait(false);
            await RemoveStagingAsync(range.SourcePartition, markers, files, keep: range, startingBefore: range.End, cancellationToken).ConfigureAwait(false);
        }

        return new LakeFlush(staging.Files.Count, staging.Rows);
    }

    public async ValueTask<LakeRecovery> RecoverAsync(int sourcePartition, long? committedOffset, CancellationToken cancellationToken = default)
    {
        var (markers, staged) = await ListStagingAsync(sourcePartition, cancellationToken).ConfigureAwait(false);
        // The committed range: complete, ending at the committed offset, started latest. A stale writer's range can end
        // there too only by starting at an earlier commit.
        LakeCommitRange? committed = committedOffset is { } end && markers.Where(m => m.End == end).ToList() is { Count: > 0 } candidates
            ? candidates.MaxBy(m => m.Start)
            : null;
        var published = 0;
        if (committed is { } last)
        {
            foreach (var key in staged)
            {
                if (_staging.TryFinalKey(last, key, out var finalKey))
                {
                    await _store.MoveAsync(key, finalKey, cancellationToken).ConfigureAwait(false);
                    published++;
                }
            }
        }

        var removed = await RemoveStagingAsync(sourcePartition, markers, staged, committed, startingBefore: committedOffset ?? long.MaxValue, cancellationToken).ConfigureAwait(false);
        return new LakeRecovery(published, removed);
    }

    /// <summary>
    /// Deletes the partition's staged ranges that start before <paramref name="startingBefore"/> but <paramref name="keep"/>
    /// (its marker stays), complete or not (a range without its marker is a writer stopped while staging), and unfinished
    /// temporary files; returns how many files went. A file whose range cannot be read counts as starting at 0.
    /// </summary>
    private async ValueTask<int> RemoveStagingAsync(int sourcePartition, List<LakeCommitRange> markers, List<string> files, LakeCommitRange? keep, long startingBefore,
        CancellationToken cancellationToken)
    {
        bool Doomed(LakeCommitRange range) => range != keep && range.Start < startingBefore;
        var doomed = files
            .Where(f => Doomed(_staging.TryParseStagedFile(sourcePartition, f, out var range) ? range : new LakeCommitRange(sourcePartition, 0, 0)))
            // The markers go last: a range is complete as long as its marker is there.
            .Concat(markers.Where(Doomed).Select(_staging.Marker))
            .ToList();
        foreach (var key in doomed)
        {
            await _store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return doomed.Count + await _store.DeleteUnfinishedAsync(_staging.Partition(sourcePartition), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The partition's staging: completion markers (as ranges) and every other file (staged files of any range).</summary>
    private async ValueTask<(List<LakeCommitRange> Markers, List<string> Files)> ListStagingAsync(int sourcePartition, CancellationToken cancellationToken)
    {
        var markers = new List<LakeCommitRange>();
        var files = new List<string>();
        await foreach (var key in _store.ListAsync(_staging.Partition(sourcePartition), cancellationToken).ConfigureAwait(false))
        {
            if (_staging.TryParseMarker(sourcePartition, key, out var range))
            {
                markers.Add(range);
            }
            else
            {
                files.Add(key);
            }
        }

        return (markers, files);
    }

    /// <summary>
    /// Stages and publishes every buffered row at once, for a writer with no log to commit offsets to (tests, tools):
    /// each partition's range is its buffered offsets.
    /// </summary>
    public async ValueTask<LakeFlush> FlushAsync(CancellationToken cancellationToken = default)
    {
        var ranges = _bufferedOffsets.Select(p => new LakeCommitRange(p.Key, p.Value.First, p.Value.Last + 1)).ToList();
        if (ranges.Count == 0)
        {
            return new LakeFlush(0, 0);
        }

        var staging = await StageAsync(ranges, cancellationToken).ConfigureAwait(false);
        return await PublishAsync(staging, cancellationToken).ConfigureAwait(false);
    }

    public void DiscardBuffered()
    {
        // Kept for the next files, a few: a live stream fills one buffer per source partition and hour (two around the
        // hour), while a backfill over many hours would otherwise leave hundreds of them held here for good.
        foreach (var file in _files.Values)
        {
            file.Dispose();
            if (_spareBuffers.Count < MaxSpareBuffers)
            {
                _spareBuffers.Push(file.Rows);
            }
        }

        _files.Clear();
        _bufferedOffsets.Clear();
        BufferedRows = 0;
        _oldestAddedUtc = null;
    }

    public ValueTask DisposeAsync()
    {
        DiscardBuffered();
        return _store.DisposeAsync();
    }
}
