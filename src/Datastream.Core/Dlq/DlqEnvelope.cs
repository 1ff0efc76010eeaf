using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Datastream.Core.Rides;

namespace Datastream.Core.Dlq;

/// <summary>Writes the rides_dlq envelope of SPEC §3.5.</summary>
public static class DlqEnvelope
{
    /// <summary>
    /// The default cap of an envelope: under 1 MiB, so that with its key and the record framing it still fits Kafka's
    /// default message.max.bytes (1,048,588 on brokers and topics).
    /// </summary>
    public const int DefaultMaxBytes = 1_000_000;

    /// <summary>The smallest cap allowed: room for the envelope's other fields whatever their text, and some payload.</summary>
    public const int MinMaxBytes = 64 * 1024;

    // A path or reason is for a person; beyond these they are cut, so the envelope's head stays small.
    private const int MaxPathChars = 256;
    private const int MaxMessageChars = 1024;

    // Room after the payload: ,"payload_bytes":<20 digits>,"payload_sha256":"<64 hex>","payload_truncated":true,"failed_at":"<24>"} and quotes.
    private const int TailBytes = 256;

    // Relaxed escaping keeps the original payload readable in the DLQ; envelopes are never embedded in HTML.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = Encoder,
    };

    /// <summary>
    /// Writes one envelope as compact UTF-8 JSON of at most <paramref name="maxBytes"/> bytes. The payload is carried
    /// as "payload" text when it is valid UTF-8, otherwise as "payload_base64". When the whole payload does not fit,
    /// its beginning is carried with payload_bytes (the original size), payload_sha256 (of the original bytes) and
    /// payload_truncated: the original is still at its source offset.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, string pipeline, in Rejection rejection, in SourceRecordRef source,
        ReadOnlySpan<byte> payload, DateTime failedAtUtc, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, MinMaxBytes);

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Span<byte> timestamp = stackalloc byte[UtcTimestamp.Length];

        writer.WriteStartObject();
        writer.WriteString("pipeline"u8, pipeline);

        writer.WriteStartObject("error"u8);
        writer.WriteString("kind"u8, rejection.Kind.WireName());
        writer.WriteString("path"u8, Text(rejection.Path ?? "$", MaxPathChars));
        writer.WriteString("message"u8, Text(rejection.Message ?? string.Empty, MaxMessageChars));
        writer.WriteEndObject();

        writer.WriteStartObject("source"u8);
        writer.WriteString("topic"u8, Text(source.Topic, MaxPathChars));
        writer.WriteNumber("partition"u8, source.Partition);
        writer.WriteNumber("offset"u8, source.Offset);
        UtcTimestamp.Format(source.TimestampUtc, timestamp);
        writer.WriteString("timestamp"u8, timestamp);
        writer.WriteEndObject();

        long budget = maxBytes - (writer.BytesCommitted + writer.BytesPending) - TailBytes;
        bool isText = Utf8.IsValid(payload);
        bool truncated = isText ? WriteText(writer, payload, budget) : WriteBase64(writer, payload, budget);
        if (truncated)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(payload, hash);
            writer.WriteNumber("payload_bytes"u8, payload.Length);
            writer.WriteString("payload_sha256"u8, Convert.ToHexStringLower(hash));
            writer.WriteBoolean("payload_truncated"u8, true);
        }

        UtcTimestamp.Format(failedAtUtc, timestamp);
        writer.WriteString("failed_at"u8, timestamp);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Convenience for callers that want the envelope as a byte array.</summary>
    public static byte[] ToBytes(string pipeline, in Rejection rejection, in SourceRecordRef source, ReadOnlySpan<byte> payload, DateTime failedAtUtc,
        int maxBytes = DefaultMaxBytes)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + Math.Min(payload.Length * 2, maxBytes));
        Write(buffer, pipeline, rejection, source, payload, failedAtUtc, maxBytes);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes "payload" as a JSON string of at most <paramref name="budget"/> bytes; true when it had to be cut.</summary>
    private static bool WriteText(Utf8JsonWriter writer, ReadOnlySpan<byte> payload, long budget)
    {
        // An escape is at most 6 bytes per input byte (a control byte as \u00XX): the usual payload surely fits.
        if ((long)payload.Length * 6 + 2 <= budget)
        {
            writer.WriteString("payload"u8, payload);
            return false;
        }

        // Escape into a buffer of exactly the room left: the encoder stops at the last whole character that fits.
        // It is the escaping the writer itself applies with this encoder, so the text is written raw, as is.
        int room = (int)budget;
        byte[] escaped = ArrayPool<byte>.Shared.Rent(room);
        try
        {
            escaped[0] = (byte)'"';
            Encoder.EncodeUtf8(payload, escaped.AsSpan(1, room - 2), out int consumed, out int written, isFinalBlock: true);
            escaped[written + 1] = (byte)'"';
            writer.WritePropertyName("payload"u8);
            writer.WriteRawValue(escaped.AsSpan(0, written + 2), skipInputValidation: true);
            return consumed < payload.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(escaped);
        }
    }

    /// <summary>Writes "payload_base64" of at most <paramref name="budget"/> bytes; true when it had to be cut.</summary>
    private static bool WriteBase64(Utf8JsonWriter writer, ReadOnlySpan<byte> payload, long budget)
    {
        long fits = (budget - 2) / 4 * 3;
        if (payload.Length <= fits)
        {
            writer.WriteBase64String("payload_base64"u8, payload);
            return false;
        }

        writer.WriteBase64String("payload_base64"u8, payload[..(int)fits]);
        return true;
    }

    /// <summary>
    /// Text the writer can take: at most <paramref name="maxChars"/> characters, and a lone UTF-16 surrogate (an
    /// exception message can quote one) replaced by U+FFFD instead of making the writer throw.
    /// </summary>
    private static string Text(string text, int maxChars)
    {
        if (text.Length > maxChars)
        {
            int cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
            text = string.Concat(text.AsSpan(0, cut), "…");
        }

        // UTF8Encoding's default replacement fallback turns each lone surrogate into U+FFFD.
        return HasLoneSurrogate(text) ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) : text;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
