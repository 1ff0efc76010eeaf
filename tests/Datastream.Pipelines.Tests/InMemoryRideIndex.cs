using Datastream.Core.Rides;
using Datastream.Pipelines.Index;

namespace Datastream.Pipelines.Tests;

/// <summary>A test double of the index port: upserts by ride_id, with injectable outages and refusals.</summary>
public sealed class InMemoryRideIndex : IRideIndexWriter
{
    public Dictionary<Guid, FlatRide> Rides { get; } = [];

    /// <summary>Outages: the next upserts throw these, in order.</summary>
    public Queue<Exception> Failures { get; } = new();

    /// <summary>Rides refused for good, with the reason.</summary>
    public Dictionary<Guid, string> Refuse { get; } = [];

    public int Upserts { get; private set; }

    /// <summary>Called after each successful upsert (a test can act mid-run, e.g. pause the pipeline).</summary>
    public Action? AfterUpsert { get; set; }

    public string Engine => "in-memory";

    public ValueTask<IReadOnlyList<IndexRejection>> UpsertAsync(IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken = default)
    {
        Upserts++;
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        var rejected = new List<IndexRejection>();
        foreach (var ride in rides)
        {
            if (Refuse.TryGetValue(ride.RideId, out string? reason))
            {
                rejected.Add(new IndexRejection(ride.RideId, reason));
                continue;
            }

            Rides[ride.RideId] = ride;
        }

        AfterUpsert?.Invoke();

        return ValueTask.FromResult<IReadOnlyList<IndexRejection>>(rejected);
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult((long)Rides.Count);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
