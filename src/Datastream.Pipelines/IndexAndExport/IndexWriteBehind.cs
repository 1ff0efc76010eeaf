using Datastream.Core.Rides;
using Datastream.Pipelines.Index;

namespace Datastream.Pipelines.IndexAndExport;

/// <summary>
/// index-and-export's index writes, done behind the pipeline on one pool thread, in order, with group commit: every
/// batch queued while a write runs goes into the next write as one call (one transaction on the embedded index, one
/// bulk request on Elasticsearch). A writer that keeps up writes each batch as it comes; one that falls behind writes
/// larger groups, and a B-tree's cost per ride falls as more rides share the pages they touch. Each batch learns its
/// own outcome (its refusals, or the error). After a failed write every batch queued behind it fails unwritten: the
/// pipeline rewinds and reads them again. Not thread-safe on the pipeline's side (one pipeline loop calls it).
/// </summary>
internal sealed class IndexWriteBehind(Func<IReadOnlyList<FlatRide>, ValueTask<IReadOnlyList<IndexRejection>>> upsert, StageTimes stages, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<IndexWrite> _queued = [];
    private Task _writing = Task.CompletedTask;
    private bool _running;
    private int _generation;
    private int _failedGeneration = -1;
    private long _unwrittenRides;

    /// <summary>Rides queued or being written, not yet known to be in the index.</summary>
    public long UnwrittenRides => Interlocked.Read(ref _unwrittenRides);

    /// <summary>Queues one batch's rides behind every batch queued before.</summary>
    public void Add(IndexWrite write)
    {
        write.Generation = _generation;
        Interlocked.Add(ref _unwrittenRides, write.Rides.Count);
        lock (_gate)
        {
            _queued.Add(write);
            if (!_running)
            {
                _running = true;
                _writing = Task.Run(WriteQueuedAsync);
            }
        }
    }

    /// <summary>
    /// Forgets the queued batches and the last failure (the pipeline rewinds and writes them again); a write already
    /// running goes on, and later batches wait for it.
    /// </summary>
    public void Abandon()
    {
        lock (_gate)
        {
            foreach (var write in _queued)
            {
                write.Fail(new OperationCanceledException("abandoned: the pipeline rewinds and writes this batch again"));
                Interlocked.Add(ref _unwrittenRides, -write.Rides.Count);
            }

            _queued.Clear();
            _generation++;
        }
    }

    /// <summary>Waits until no write runs (nothing may reach the index after the pipeline stops).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _writing;
        }
    }

    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            List<IndexWrite> group;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _running = false;
                    return;
                }

                group = [.. _queued];
                _queued.Clear();
            }

            await WriteAsync(group);
        }
    }

    private async Task WriteAsync(List<IndexWrite> group)
    {
        // Batches of a generation that already failed are not written: they will be read again after the rewind.
        var failed = group.Where(w => w.Generation == Volatile.Read(ref _failedGeneration)).ToList();
        foreach (var write in failed)
        {
            write.Fail(new OperationCanceledException("an earlier index write failed; this batch is written again after the rewind"));
        }

        var writes = failed.Count == 0 ? group : group.Except(failed).ToList();
        long rides = group.Sum(w => (long)w.Rides.Count);
        if (writes.Count > 0)
        {
            long started = StageTimes.Start();
            try
            {
                var rejected = await upsert(writes.Count == 1 ? writes[0].Rides : new GroupedRides(writes));
                stages.Add(PipelineStages.Index, started);
                DateTime indexedAt = time.GetUtcNow().UtcDateTime;
                var refused = rejected.Count == 0 ? null : rejected.ToLookup(r => r.RideId);
                foreach (var write in writes)
                {
                    write.Complete(indexedAt, refused is null ? [] : [.. write.Rides.Where(r => refused.Contains(r.RideId)).SelectMany(r => refused[r.RideId]).Distinct()]);
                }
            }
            catch (Exception error)
            {
                Volatile.Write(ref _failedGeneration, writes[^1].Generation);
                foreach (var write in writes)
                {
                    write.Fail(error);
                }
            }
        }

        Interlocked.Add(ref _unwrittenRides, -rides);
    }
}
