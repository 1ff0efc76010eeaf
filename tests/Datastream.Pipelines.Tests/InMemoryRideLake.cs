using Datastream.Core.Rides;
using Datastream.Pipelines.Lake;

namespace Datastream.Pipelines.Tests;

/// <summary>A test double of the lake port: "files" keyed like the real layout, rolled every N rows, staged per committed range.</summary>
public sealed class InMemoryRideLake(int rollRows) : IRideLake
{
    private readonly List<(int Partition, long Offset, FlatRide Ride)> _buffer = [];

    /// <summary>(source partition, hour, first offset) → rows, as visible files.</summary>
    public Dictionary<(int Partition, DateTime Hour, long FirstOffset), List<FlatRide>> Files { get; } = [];

    /// <summary>Complete staged ranges and their files, not visible.</summary>
    public Dictionary<LakeCommitRange, Dictionary<(int Partition, DateTime Hour, long FirstOffset), List<FlatRide>>> Staged { get; } = [];

    public string Location => "memory";

    public int BufferedRows => _buffer.Count;

    public bool ShouldFlush(DateTime nowUtc) => _buffer.Count >= rollRows;

    public void Add(int sourcePartition, long sourceOffset, in FlatRide ride) => _buffer.Add((sourcePartition, sourceOffset, ride));

    /// <summary>Rows are kept as they are until staged: there is nothing to encode ahead.</summary>
    public ValueTask WriteAheadAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<LakeStaging> StageAsync(IReadOnlyList<LakeCommitRange> ranges, CancellationToken cancellationToken = default)
    {
        var files = new List<StagedLakeFile>();
        foreach (var range in ranges)
        {
            var rows = _buffer.Where(b => b.Partition == range.SourcePartition).ToList();
            if (rows.Any(r => r.Offset < range.Start || r.Offset >= range.End))
            {
                throw new ArgumentException("rows outside the committed range", nameof(ranges));
            }

            Staged[range] = rows
                .GroupBy(b => (b.Partition, Hour: new DateTime(b.Ride.TsUtc.Year, b.Ride.TsUtc.Month, b.Ride.TsUtc.Day, b.Ride.TsUtc.Hour, 0, 0, DateTimeKind.Utc)))
                .ToDictionary(g => (g.Key.Partition, g.Key.Hour, g.Min(b => b.Offset)), g => g.Select(b => b.Ride).ToList());
            files.AddRange(Staged[range].Keys.Select(k => new StagedLakeFile($"{range}", $"{k}")));
        }

        long total = _buffer.Count;
        _buffer.Clear();
        return ValueTask.FromResult(new LakeStaging(ranges, files, total));
    }

    public ValueTask<LakeFlush> PublishAsync(LakeStaging staging, CancellationToken cancellationToken = default)
    {
        var files = 0;
        foreach (var range in staging.Ranges)
        {
            files += Publish(range);
            foreach (var stale in Staged.Keys.Where(r => r.SourcePartition == range.SourcePartition && r != range && r.Start < range.End).ToList())
            {
                Staged.Remove(stale);
            }
        }

        return ValueTask.FromResult(new LakeFlush(files, staging.Rows));
    }

    public ValueTask<LakeRecovery> RecoverAsync(int sourcePartition, long? committedOffset, CancellationToken cancellationToken = default)
    {
        var committed = Staged.Keys.Where(r => r.SourcePartition == sourcePartition && r.End == committedOffset).OrderByDescending(r => r.Start).Take(1).ToList();
        var published = committed.Sum(Publish);
        var removed = 0;
        foreach (var stale in Staged.Keys.Where(r => r.SourcePartition == sourcePartition && !committed.Contains(r) && r.Start < (committedOffset ?? long.MaxValue)).ToList())
        {
            removed += Staged[stale].Count;
            Staged.Remove(stale);
        }

        return ValueTask.FromResult(new LakeRecovery(published, removed));
    }

    public void DiscardBuffered() => _buffer.Clear();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private int Publish(LakeCommitRange range)
    {
        if (!Staged.TryGetValue(range, out var files))
        {
            return 0;
        }

        foreach (var (key, rows) in files)
        {
            Files[key] = rows;
        }

        // The marker stays (an empty range) until a later publish: it names the last commit.
        Staged[range] = [];
        return files.Count;
    }
}
