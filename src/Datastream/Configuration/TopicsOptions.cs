namespace Datastream.Configuration;

/// <summary>Topics: the three topics of the design (RAW_TOPIC, RESULT_TOPIC, DLQ_TOPIC).</summary>
public sealed class TopicsOptions
{
    public string Raw { get; set; } = "rides_raw";

    public string Result { get; set; } = "rides_result";

    public string Dlq { get; set; } = "rides_dlq";
}
