using System.Runtime.InteropServices;

namespace Datastream.Embedded.Index;

/// <summary>
/// The index writer's map of ride_id → rowid for the rides not in ride_keys yet (less than one generation). Nearly
/// every ride is added and almost none is looked up (only the filter's "maybe"s: ~0.1 % false positives, and replayed
/// rides), so adding is an append. A lookup sorts the entries added since the last sorted run into one more run once
/// there are <see cref="MinRunLength"/> of them, and scans them while there are fewer; then it is a binary search per
/// run. Runs are never shorter than that, so however adds and lookups interleave (a replay of half-indexed rides
/// alternates them) there are at most ~160 per generation and a lookup costs a few µs. A Dictionary cost the writer
/// ~0.3 µs per ride here (two cache misses per insert into a 5 MB table), ~8 % of its time.
///
/// Entries stay in the order they were added, run by run, and rows are added in rising order, so the rows a
/// generation's keys made findable in ride_keys are the leading runs (dropped whole) and the head of the entries not
/// sorted yet. Not thread-safe (the writer's own).
/// </summary>
internal sealed class UnkeyedRides
{
    /// <summary>Fewer entries than this, added since the last run, are scanned rather than sorted into a run.</summary>
    public const int MinRunLength = 1024;

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

    public int RunCount => _runEnds.Count;

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
        if (_count - _sortedCount >= MinRunLength)
        {
            Array.Sort(_entries, _sortedCount, _count - _sortedCount);
            _runEnds.Add(_count);
            _sortedCount = _count;
        }

        var wanted = new Entry(rideId, 0);
        for (var i = _sortedCount; i < _count; i++)
        {
            if (_entries[i].CompareTo(wanted) == 0)
            {
                return _entries[i].Row;
            }
        }

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
    /// Drops what <paramref name="keyedThrough"/> made findable in ride_keys: the leading runs whose rows are all at or
    /// below it (a run that straddles it stays: its keyed rows are still right), and the head of the entries not
    /// sorted yet, which are still in row order. Without lookups no run forms at all, so the second part is what keeps
    /// the map under a generation and a write.
    /// </summary>
    public void ForgetThrough(long keyedThrough)
    {
        var runsKeyed = 0;
        var entriesKeyed = 0;
        foreach (var end in _runEnds)
        {
            if (MaxRow(entriesKeyed, end) > keyedThrough)
            {
                break;
            }

            runsKeyed++;
            entriesKeyed = end;
        }

        Remove(0, entriesKeyed);
        _runEnds.RemoveRange(0, runsKeyed);
        for (var i = 0; i < _runEnds.Count; i++)
        {
            _runEnds[i] -= entriesKeyed;
        }

        _sortedCount -= entriesKeyed;
        var unsortedKeyed = 0;
        while (_sortedCount + unsortedKeyed < _count && _entries[_sortedCount + unsortedKeyed].Row <= keyedThrough)
        {
            unsortedKeyed++;
        }

        Remove(_sortedCount, unsortedKeyed);
    }

    private void Remove(int start, int length)
    {
        if (length > 0)
        {
            Array.Copy(_entries, start + length, _entries, start, _count - start - length);
            _count -= length;
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
