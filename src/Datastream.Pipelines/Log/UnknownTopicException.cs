namespace Datastream.Pipelines.Log;

/// <summary>The topic does not exist.</summary>
public sealed class UnknownTopicException(string topic)
    : Exception($"topic '{topic}' does not exist (create it with 'datastream topics create')")
{
    public string Topic { get; } = topic;
}
