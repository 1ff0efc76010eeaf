namespace Datastream.Pipelines;

/// <summary>The three topics of the design; configurable (RAW_TOPIC, RESULT_TOPIC, DLQ_TOPIC).</summary>
public sealed record TopicNames(string Raw = "rides_raw", string Result = "rides_result", string Dlq = "rides_dlq");
