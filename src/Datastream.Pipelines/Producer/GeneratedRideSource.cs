using Datastream.Core.Generation;

namespace Datastream.Pipelines.Producer;

/// <summary>An endless stream of generated rides stamped with the time they are produced.</summary>
public sealed class GeneratedRideSource(RideGenerator generator) : IRecordSource
{
    public long Invalid { get; private set; }

    public bool TryNext(DateTime nowUtc, out ReadOnlyMemory<byte> value)
    {
        value = generator.Next(nowUtc, out var kind);
        if (kind is not null)
        {
            Invalid++;
        }

        return true;
    }
}
