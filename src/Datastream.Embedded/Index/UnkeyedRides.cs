using System.Runtime.InteropServices;

namespace Datastream.Embedded.Index;

/// <summary>
/// The index writer's map of ride_id → rowid for the rides not in ride_keys yet (less than one generation). Nearly
/// every ride is added and almost none is looked up (only the filter's "maybe"s: ~0.1 % false positives, and replayed
/// rides), so adding is an append, and the entries added since the last lookup are sorted by that lookup, as one more
/// sorted run. A lookup is a binary search per run: ~13 runs of one write each per generation. A Dictionary cost the
/// writer ~0.3 µs per ride here (two cache misses per insert into a 5 MB table), ~8 % of its time.
///
/// Entries stay in the order they were added, run by run, and rows are added in rising order, so the rows a
/// generation's keys made findable in ride_keys are the leading runs, dropped whole. Not thread-safe (the writer's own).
/// </summary>
internal sealed class UnkeyedRides
{
    private Entry[] _entries;
    private int _count;

    /// <summary>Entries before this are in sorted runs; those after were added since the last lookup.</summary>
    private int _sortedCount;

    /// <summary>Where each sorted run ends (exclusive), in order.</summary>
    private readonly List<int> _runEnds = [];

    /// <param name="capacity">Entries held without growing: a generation and a write beyond it.</param>
    public UnkeyedRides(int capacity)
    {
        _entries = new Entry[capacity];
    }

    public int Count => _count;

    public void Add(Guid rideId, long row)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[_count++] = new Entry(rideId, row);
    }

    /// <summary>The ride's row, or 0 if it is not held (rowids start at 1).</summary>
    public long RowOf(Guid rideId)
    {
        if (_sortedCount < _count)
        {
            Array.Sort(_entries, _sortedCount, _count - _sortedCount);
            _runEnds.Add(_count);
            _sortedCount = _count;
        }

        var wanted = new Entry(rideId, 0);
        var start = 0;
        foreach (var end in _runEnds)
        {
            var found = Array.BinarySearch(_entries, start, end - start, wanted);
            if (found >= 0)
            {
                return _entries[found].Row;
            }

            start = end;
        }

        return 0;
    }

    /// <summary>
    /// Drops the leading runs whose rows are all at or below <paramref name="keyedThrough"/> (a run that straddles it
    /// stays: its keyed rows are still right), and the entries not sorted yet if every run went and they are all keyed.
    /// </summary>
    public void ForgetThrough(long keyedThrough)
    {
        var drop = 0;
        var dropRuns = 0;
        foreach (var end in _runEnds)
        {
            if (MaxRow(drop, end) > keyedThrough)
            {
                break;
            }

            dropRuns++;
            drop = end;
        }

        if (dropRuns == _runEnds.Count && MaxRow(drop, _count) <= keyedThrough)
        {
            drop = _count; // the entries not sorted yet too
        }

        if (drop == 0)
        {
            return;
        }

        Array.Copy(_entries, drop, _entries, 0, _count - drop);
        _count -= drop;
        _sortedCount = Math.Max(0, _sortedCount - drop);
        _runEnds.RemoveRange(0, dropRuns);
        for (var i = 0; i < _runEnds.Count; i++)
        {
            _runEnds[i] -= drop;
        }
    }

    public void Clear()
    {
        _count = 0;
        _sortedCount = 0;
        _runEnds.Clear();
    }

    private long MaxRow(int start, int end)
    {
        var max = 0L;
        for (var i = start; i < end; i++)
        {
            max = Math.Max(max, _entries[i].Row);
        }

        return max;
    }

    /// <summary>A ride_id as two integers (compared as such: any total order serves a binary search) and its row.</summary>
    [StructLayout(LayoutKind.Auto)]
    private readonly struct Entry : IComparable<Entry>
    {
        private readonly ulong _high;
        private readonly ulong _low;

        public Entry(Guid rideId, long row)
        {
            Span<ulong> halves = stackalloc ulong[2];
            rideId.TryWriteBytes(MemoryMarshal.AsBytes(halves));
            _high = halves[0];
            _low = halves[1];
            Row = row;
        }

        public long Row { get; }

        public int CompareTo(Entry other)
        {
            var byHigh = _high.CompareTo(other._high);
            return byHigh != 0 ? byHigh : _low.CompareTo(other._low);
        }
    }
}
