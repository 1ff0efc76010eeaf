using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Datastream.Core.Rides;

namespace Datastream.Core.Dlq;

/// <summary>Writes the rides_dlq envelope of SPEC §3.5.</summary>
public static class DlqEnvelope
{
    // Relaxed escaping keeps the original payload readable in the DLQ; envelopes are never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes one envelope as compact UTF-8 JSON. The payload is carried as "payload" text when it is
    /// valid UTF-8, otherwise as "payload_base64".
    /// </summary>
    public static void Write(IBufferWriter<byte> output, string pipeline, in Rejection rejection, in SourceRecordRef source,
        ReadOnlySpan<byte> payload, DateTime failedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pipeline);

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Span<byte> timestamp = stackalloc byte[UtcTimestamp.Length];

        writer.WriteStartObject();
        writer.WriteString("pipeline"u8, pipeline);

        writer.WriteStartObject("error"u8);
        writer.WriteString("kind"u8, rejection.Kind.WireName());
        writer.WriteString("path"u8, rejection.Path ?? "$");
        writer.WriteString("message"u8, rejection.Message ?? string.Empty);
        writer.WriteEndObject();

        writer.WriteStartObject("source"u8);
        writer.WriteString("topic"u8, source.Topic);
        writer.WriteNumber("partition"u8, source.Partition);
        writer.WriteNumber("offset"u8, source.Offset);
        UtcTimestamp.Format(source.TimestampUtc, timestamp);
        writer.WriteString("timestamp"u8, timestamp);
        writer.WriteEndObject();

        if (Utf8.IsValid(payload))
        {
            writer.WriteString("payload"u8, payload);
        }
        else
        {
            writer.WriteBase64String("payload_base64"u8, payload);
        }

        UtcTimestamp.Format(failedAtUtc, timestamp);
        writer.WriteString("failed_at"u8, timestamp);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Convenience for callers that want the envelope as a byte array.</summary>
    public static byte[] ToBytes(string pipeline, in Rejection rejection, in SourceRecordRef source, ReadOnlySpan<byte> payload, DateTime failedAtUtc)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + payload.Length * 2);
        Write(buffer, pipeline, rejection, source, payload, failedAtUtc);
        return buffer.WrittenSpan.ToArray();
    }
}
