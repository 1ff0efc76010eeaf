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
}
