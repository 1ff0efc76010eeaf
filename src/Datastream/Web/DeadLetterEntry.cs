using Datastream.Core.Dlq;

namespace Datastream.Web;

/// <summary>One envelope of rides_dlq and where it sits in the topic.</summary>
public sealed record DeadLetterEntry(int Partition, long Offset, DeadLetter Letter)
{
    /// <summary>The objects of one kept entry beyond its payload and text: list node, entry, letter, source, array and string headers.</summary>
    private const int ObjectBytes = 400;

    /// <summary>
    /// What keeping this entry costs in memory: the payload bytes it holds (the envelope's cut, not the original size),
    /// its strings at two bytes a character, and its objects.
    /// </summary>
    public long RetainedBytes { get; } = ObjectBytes + (long)Letter.Payload.Length
        + 2L * (Letter.Pipeline.Length + Letter.Path.Length + Letter.Message.Length + Letter.Source.Topic.Length);
}
