using System.Buffers;
using System.Text;
using System.Text.Json;
using Datastream.Core.Dlq;

namespace Datastream.Core.Tests;

public sealed class DlqEnvelopeTests
{
    private static readonly SourceRecordRef Source = new("rides_raw", 0, 1234, new DateTime(2025, 10, 30, 16, 9, 47, 200, DateTimeKind.Utc));
    private static readonly DateTime FailedAt = new(2025, 10, 30, 16, 9, 47, 210, DateTimeKind.Utc);

    private static JsonElement Write(Rejection rejection, byte[] payload)
    {
        var output = new ArrayBufferWriter<byte>();
        DlqEnvelope.Write(output, "compute-cost", rejection, Source, payload, FailedAt);
        using JsonDocument document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Utf8_payload_is_carried_as_text_in_contract_order()
    {
        string payload = """{"ride_id":"x","note":"café ☕","origin":{"lat":91}}""";
        JsonElement envelope = Write(new Rejection(RejectionKind.Schema, "$.origin.lat", "must be between -90 and 90"), Encoding.UTF8.GetBytes(payload));

        Assert.Equal(["pipeline", "error", "source", "payload", "failed_at"], envelope.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("compute-cost", envelope.GetProperty("pipeline").GetString());
        Assert.Equal("""{"kind":"schema","path":"$.origin.lat","message":"must be between -90 and 90"}""", envelope.GetProperty("error").GetRawText());
        Assert.Equal("""{"topic":"rides_raw","partition":0,"offset":1234,"timestamp":"2025-10-30T16:09:47.200Z"}""", envelope.GetProperty("source").GetRawText());
        Assert.Equal(payload, envelope.GetProperty("payload").GetString());
        Assert.Equal("2025-10-30T16:09:47.210Z", envelope.GetProperty("failed_at").GetString());
    }

    [Fact]
    public void Non_utf8_payload_is_carried_as_base64()
    {
        byte[] payload = [(byte)'{', 0xC3, 0x28, 0xFF, (byte)'}'];
        JsonElement envelope = Write(new Rejection(RejectionKind.Encoding, "$", "payload is not valid UTF-8"), payload);

        Assert.Equal(["pipeline", "error", "source", "payload_base64", "failed_at"], envelope.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("encoding", envelope.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal(payload, envelope.GetProperty("payload_base64").GetBytesFromBase64());
    }

    [Theory]
    [InlineData(RejectionKind.InvalidJson, "invalid_json")]
    [InlineData(RejectionKind.Encoding, "encoding")]
    [InlineData(RejectionKind.TooLarge, "too_large")]
    [InlineData(RejectionKind.Schema, "schema")]
    [InlineData(RejectionKind.SinkRejected, "sink_rejected")]
    [InlineData(RejectionKind.Internal, "internal")]
    public void Error_kind_uses_the_wire_name(RejectionKind kind, string wireName)
        => Assert.Equal(wireName, Write(new Rejection(kind, "$", "m"), "{}"u8.ToArray()).GetProperty("error").GetProperty("kind").GetString());

    [Fact]
    public void Empty_payload_is_an_empty_string_and_control_characters_survive()
    {
        Assert.Equal("", Write(new Rejection(RejectionKind.InvalidJson, "$", "m"), []).GetProperty("payload").GetString());
        Assert.Equal("a\n\"b\"\t\0", Write(new Rejection(RejectionKind.InvalidJson, "$", "m"), Encoding.UTF8.GetBytes("a\n\"b\"\t\0")).GetProperty("payload").GetString());
    }

    [Fact]
    public void Rejection_from_compute_cost_travel_round_trips_into_an_envelope()
    {
        byte[] payload = RawRide.Valid().With("origin", """{"lat":91,"lon":0}""").Bytes;
        Rejection rejection = Transform.Rejected(payload);
        byte[] envelope = DlqEnvelope.ToBytes("compute-cost", rejection, Source, payload, FailedAt);
        string text = Encoding.UTF8.GetString(envelope);
        Assert.StartsWith("""{"pipeline":"compute-cost","error":{"kind":"schema","path":"$.origin.lat","message":"must be between -90 and 90"},""", text, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(envelope);
        Assert.Equal(Encoding.UTF8.GetString(payload), document.RootElement.GetProperty("payload").GetString());
    }

    [Fact]
    public void Timestamps_are_utc_with_milliseconds()
    {
        var local = new DateTime(2025, 1, 2, 3, 4, 5, 6, DateTimeKind.Unspecified);
        var output = new ArrayBufferWriter<byte>();
        DlqEnvelope.Write(output, "p", new Rejection(RejectionKind.Schema, "$", "m"), Source with { TimestampUtc = local }, [], local);
        using JsonDocument document = JsonDocument.Parse(output.WrittenMemory);
        Assert.Equal("2025-01-02T03:04:05.006Z", document.RootElement.GetProperty("failed_at").GetString());
        Assert.Equal("2025-01-02T03:04:05.006Z", document.RootElement.GetProperty("source").GetProperty("timestamp").GetString());
    }

    [Fact]
    public void A_payload_of_control_bytes_is_truncated_to_the_cap_with_its_size_and_hash()
    {
        // 200 KB of control bytes escape to 1.2 MB as \u00XX: over Kafka's message size without the cap.
        byte[] payload = new byte[200_000];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i % 32);
        }

        byte[] envelope = DlqEnvelope.ToBytes("compute-cost", new Rejection(RejectionKind.TooLarge, "$", "m"), Source, payload, FailedAt);
        Assert.InRange(envelope.Length, DlqEnvelope.DefaultMaxBytes - 300, DlqEnvelope.DefaultMaxBytes);
        using JsonDocument document = JsonDocument.Parse(envelope);
        JsonElement root = document.RootElement;
        Assert.Equal(["pipeline", "error", "source", "payload", "payload_bytes", "payload_sha256", "payload_truncated", "failed_at"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(200_000, root.GetProperty("payload_bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload)), root.GetProperty("payload_sha256").GetString());
        Assert.True(root.GetProperty("payload_truncated").GetBoolean());
        byte[] carried = Encoding.UTF8.GetBytes(root.GetProperty("payload").GetString()!);
        Assert.True(carried.Length > 100_000);
        Assert.Equal(payload[..carried.Length], carried);

        DeadLetter letter = DeadLetter.Parse(envelope);
        Assert.True(letter.PayloadTruncated);
        Assert.Equal(200_000, letter.PayloadBytes);
    }

    [Theory]
    [InlineData(70_000)]
    [InlineData(150_000)]
    public void A_truncated_payload_keeps_whole_characters_and_the_envelope_its_cap(int maxBytes)
    {
        // Four-byte characters and quotes: a cut inside a character would be invalid UTF-8, an unescaped quote invalid JSON.
        byte[] payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("😀\"\n€", 40_000)));
        byte[] envelope = DlqEnvelope.ToBytes("index-and-export", new Rejection(RejectionKind.Schema, "$", "m"), Source, payload, FailedAt, maxBytes);
        Assert.True(envelope.Length <= maxBytes, $"{envelope.Length} > {maxBytes}");
        using JsonDocument document = JsonDocument.Parse(envelope);
        string carried = document.RootElement.GetProperty("payload").GetString()!;
        Assert.StartsWith(carried, Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        Assert.True(document.RootElement.GetProperty("payload_truncated").GetBoolean());
    }

    [Fact]
    public void A_payload_that_is_not_utf8_is_truncated_in_base64()
    {
        byte[] payload = Enumerable.Range(0, 2_000_000).Select(i => (byte)(i * 7 + 0x80)).ToArray();
        byte[] envelope = DlqEnvelope.ToBytes("compute-cost", new Rejection(RejectionKind.Encoding, "$", "m"), Source, payload, FailedAt);
        Assert.True(envelope.Length <= DlqEnvelope.DefaultMaxBytes);
        using JsonDocument document = JsonDocument.Parse(envelope);
        byte[] carried = document.RootElement.GetProperty("payload_base64").GetBytesFromBase64();
        Assert.Equal(payload[..carried.Length], carried);
        Assert.Equal(2_000_000, document.RootElement.GetProperty("payload_bytes").GetInt64());
    }

    [Fact]
    public void A_reason_with_a_lone_surrogate_or_of_any_length_is_still_written()
    {
        string message = "bad \ud800 here " + new string('x', 100_000);
        byte[] envelope = DlqEnvelope.ToBytes("compute-cost", new Rejection(RejectionKind.Internal, new string('p', 10_000), message), Source, "{}"u8, FailedAt);
        using JsonDocument document = JsonDocument.Parse(envelope);
        JsonElement error = document.RootElement.GetProperty("error");
        Assert.Equal("internal", error.GetProperty("kind").GetString());
        Assert.StartsWith("bad \ufffd here", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(error.GetProperty("message").GetString()!.Length < 2000);
        Assert.True(error.GetProperty("path").GetString()!.Length < 300);
        Assert.False(document.RootElement.TryGetProperty("payload_truncated", out _));
    }

    [Fact]
    public void An_exception_becomes_an_internal_rejection_with_its_type_and_message()
    {
        Rejection rejection = Rejection.Internal(new InvalidOperationException("boom"));
        Assert.Equal((RejectionKind.Internal, "$", "System.InvalidOperationException: boom"), (rejection.Kind, rejection.Path, rejection.Message));
        Assert.Equal("internal", rejection.Kind.WireName());
    }
}
