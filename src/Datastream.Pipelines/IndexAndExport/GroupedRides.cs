using System.Collections;
using Datastream.Core.Rides;

namespace Datastream.Pipelines.IndexAndExport;

/// <summary>
/// The rides of several batches as one list for one index write, without copying them: a group-commit copy was a
/// large array per write (~120 bytes per ride), most of the large-object heap's churn in a burst.
/// </summary>
internal sealed class GroupedRides(IReadOnlyList<IndexWrite> writes) : IReadOnlyList<FlatRide>
{
    public int Count { get; } = writes.Sum(w => w.Rides.Count);

    /// <summary>Finds the batch by walking the few of a group (a writer groups what queued during one write).</summary>
    public FlatRide this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            foreach (var write in writes)
            {
                if (index < write.Rides.Count)
                {
                    return write.Rides[index];
                }

                index -= write.Rides.Count;
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    public IEnumerator<FlatRide> GetEnumerator() => writes.SelectMany(w => w.Rides).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
