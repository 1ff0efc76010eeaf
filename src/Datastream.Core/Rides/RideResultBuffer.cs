namespace Datastream.Core.Rides;

/// <summary>
/// Reusable output of ComputeCostTravel: the rides_result JSON documents of a batch, with their ride ids,
/// held in one growing buffer so that pricing a batch allocates nothing per record.
/// </summary>
public sealed class RideResultBuffer
{
    public int Count => throw new NotImplementedException("TODO(core helper)");

    public Guid RideId(int index) => throw new NotImplementedException("TODO(core helper)");

    /// <summary>The compact UTF-8 rides_result JSON of result <paramref name="index"/>; valid until Clear.</summary>
    public ReadOnlySpan<byte> Value(int index) => throw new NotImplementedException("TODO(core helper)");

    public void Clear() => throw new NotImplementedException("TODO(core helper)");
}
