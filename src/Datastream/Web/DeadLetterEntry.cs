using Datastream.Core.Dlq;

namespace Datastream.Web;

/// <summary>One envelope of rides_dlq and where it sits in the topic.</summary>
public sealed record DeadLetterEntry(int Partition, long Offset, DeadLetter Letter);
