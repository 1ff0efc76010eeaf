using Datastream.Core.Rides;
using Datastream.Pipelines.Lake;

namespace Datastream.Pipelines.Tests;

/// <summary>A test double of the lake port: "files" keyed like the real layout, rolled every N rows.</summary>
public sealed class InMemoryRideLake(int rollRows) : IRideLake
{
    private readonly List<(int Partition, long Offset, FlatRide Ride)> _buffer = [];

    /// <summary>(source partition, hour, first offset) → rows, as visible files.</summary>
    public Dictionary<(int Partition, DateTime Hour, long FirstOffset), List<FlatRide>> Files { get; } = [];

    public string Location => "memory";

    public int BufferedRows => _buffer.Count;

    public bool ShouldFlush(DateTime nowUtc) => _buffer.Count >= rollRows;

    public void Add(int sourcePartition, long sourceOffset, in FlatRide ride) => _buffer.Add((sourcePartition, sourceOffset, ride));

    public ValueTask<LakeFlush> FlushAsync(CancellationToken cancellationToken = default)
    {
        var groups = _buffer.GroupBy(b => (b.Partition, Hour: new DateTime(b.Ride.TsUtc.Year, b.Ride.TsUtc.Month, b.Ride.TsUtc.Day, b.Ride.TsUtc.Hour, 0, 0, DateTimeKind.Utc))).ToList();
        foreach (var group in groups)
        {
            Files[(group.Key.Partition, group.Key.Hour, group.Min(g => g.Offset))] = group.Select(g => g.Ride).ToList();
        }

        long rows = _buffer.Count;
        _buffer.Clear();
        return ValueTask.FromResult(new LakeFlush(groups.Count, rows));
    }

    public ValueTask<int> RemoveUncommittedAsync(int sourcePartition, long fromOffset, CancellationToken cancellationToken = default)
    {
        var stale = Files.Keys.Where(k => k.Partition == sourcePartition && k.FirstOffset >= fromOffset).ToList();
        stale.ForEach(k => Files.Remove(k));
        return ValueTask.FromResult(stale.Count);
    }

    public void DiscardBuffered() => _buffer.Clear();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
