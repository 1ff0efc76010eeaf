using Datastream.Core.Dlq;

namespace Datastream.Core.Rides;

/// <summary>
/// The ComputeCostTravel task of DAG#1: validates one rides_raw record (SPEC §3.1, or the course format of §3.2),
/// computes distance and price (§3.3) and appends the rides_result documents (§3.4).
/// Not thread-safe: one instance per pipeline thread.
/// </summary>
public sealed class ComputeCostTravel(ComputeCostOptions options)
{
    public ComputeCostOptions Options { get; } = options;

    /// <summary>
    /// Prices one record. On success appends one result (standard format) or one per element of "data" (course
    /// format) to <paramref name="results"/> and returns true. On failure appends nothing, returns false and
    /// says why in <paramref name="rejection"/>. <paramref name="logTimestampUtc"/> is the record's log timestamp,
    /// which the course format uses as the ride's ts.
    /// </summary>
    public bool TryTransform(ReadOnlySpan<byte> payload, DateTime logTimestampUtc, RideResultBuffer results, out Rejection rejection)
        => throw new NotImplementedException("TODO(core helper)");
}
