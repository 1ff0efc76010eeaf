namespace Datastream.Pipelines.Log;

/// <summary>
/// A record is larger than the log accepts (<see cref="ILog.MaxRecordBytes"/>): the call that carried it appended
/// nothing. Retrying cannot help; the record has to be made smaller or the log's cap raised.
/// </summary>
public sealed class RecordTooLargeException(string topic, long bytes, long maxBytes)
    : Exception($"a record of {bytes} bytes (key and value) for topic '{topic}' is over the log's record-size cap of {maxBytes} bytes")
{
    public string Topic { get; } = topic;

    /// <summary>The record's key and value bytes.</summary>
    public long Bytes { get; } = bytes;

    public long MaxBytes { get; } = maxBytes;
}
