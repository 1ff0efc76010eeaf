namespace Datastream.Pipelines.Producer;

/// <summary>What the producer sends: generated rides or the lines of a file.</summary>
public interface IRecordSource
{
    /// <summary>The next record value, valid until the next call; false when the source is exhausted.</summary>
    bool TryNext(DateTime nowUtc, out ReadOnlyMemory<byte> value);
}
