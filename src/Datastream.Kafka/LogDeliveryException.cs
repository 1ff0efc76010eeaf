namespace Datastream.Kafka;

/// <summary>A record was not acknowledged by the cluster; nothing produced by the same call can be trusted to be there.</summary>
public sealed class LogDeliveryException(string topic, string reason)
    : Exception($"delivery to topic '{topic}' failed: {reason}")
{
    public string Topic { get; } = topic;
}
