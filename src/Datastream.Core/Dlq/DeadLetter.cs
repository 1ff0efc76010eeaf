using System.Text;
using System.Text.Json;

namespace Datastream.Core.Dlq;

/// <summary>
/// A rides_dlq envelope read back: why the record was rejected, where it came from, and its original bytes, or
/// their beginning when the envelope had to cut them (<see cref="PayloadTruncated"/>; the original is at Source).
/// </summary>
public sealed record DeadLetter(string Pipeline, RejectionKind Kind, string Path, string Message, SourceRecordRef Source, byte[] Payload, DateTime FailedAtUtc)
{
    public bool PayloadTruncated { get; init; }

    /// <summary>The original payload's size, which Payload.Length is unless the payload was truncated.</summary>
    public long PayloadBytes { get; init; }

    /// <summary>Reads an envelope written by <see cref="DlqEnvelope"/>; throws FormatException naming what is missing.</summary>
    public static DeadLetter Parse(ReadOnlySpan<byte> envelope)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(envelope.ToArray());
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a dead-letter envelope: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var error = Property(root, "error");
            var source = Property(root, "source");
            string kindName = Property(error, "kind").GetString() ?? "";
            if (!RejectionKindNames.TryParse(kindName, out var kind))
            {
                throw new FormatException($"unknown dead-letter kind '{kindName}'");
            }

            byte[] payload = root.TryGetProperty("payload", out var text)
                ? Encoding.UTF8.GetBytes(text.GetString() ?? "")
                : Property(root, "payload_base64").GetBytesFromBase64();
            return new DeadLetter(
                Property(root, "pipeline").GetString() ?? "",
                kind,
                Property(error, "path").GetString() ?? "$",
                Property(error, "message").GetString() ?? "",
                new SourceRecordRef(
                    Property(source, "topic").GetString() ?? "",
                    Property(source, "partition").GetInt32(),
                    Property(source, "offset").GetInt64(),
                    Property(source, "timestamp").GetDateTime().ToUniversalTime()),
                payload,
                Property(root, "failed_at").GetDateTime().ToUniversalTime())
            {
                PayloadTruncated = root.TryGetProperty("payload_truncated", out var truncated) && truncated.ValueKind == JsonValueKind.True,
                PayloadBytes = root.TryGetProperty("payload_bytes", out var size) ? size.GetInt64() : payload.Length,
            };
        }
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"dead-letter envelope has no '{name}'");
}
