using Confluent.Kafka;

namespace Datastream.Kafka;

/// <summary>The first record that could not be delivered: where it went and why.</summary>
internal sealed record DeliveryFailure(string Topic, Error Error)
{
    public bool UnknownTopic => Error.Code is ErrorCode.Local_UnknownTopic or ErrorCode.UnknownTopicOrPart or ErrorCode.UnknownTopicId;

    public override string ToString() => $"delivery to '{Topic}' failed: {Error.Reason} ({Error.Code})";
}
