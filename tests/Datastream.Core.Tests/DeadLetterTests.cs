using System.Text;
using Datastream.Core.Dlq;

namespace Datastream.Core.Tests;

public sealed class DeadLetterTests
{
    private static readonly SourceRecordRef Source = new("rides_raw", 2, 1234, new DateTime(2025, 10, 30, 16, 9, 47, 200, DateTimeKind.Utc));
    private static readonly DateTime FailedAt = new(2025, 10, 30, 16, 9, 47, 210, DateTimeKind.Utc);

    [Theory]
    [InlineData("{\"ride_id\":\"x\",\"note\":\"caf\u00e9 \\\"quoted\\\"\"}")]
    [InlineData("")]
    public void RoundTrips_TextPayloads(string payload)
    {
        var rejection = new Rejection(RejectionKind.Schema, "$.ride_id", "must be a UUID");
        var letter = DeadLetter.Parse(DlqEnvelope.ToBytes("compute-cost", rejection, Source, Encoding.UTF8.GetBytes(payload), FailedAt));
        Assert.Equal(("compute-cost", RejectionKind.Schema, "$.ride_id", "must be a UUID"), (letter.Pipeline, letter.Kind, letter.Path, letter.Message));
        Assert.Equal(Source, letter.Source);
        Assert.Equal(FailedAt, letter.FailedAtUtc);
        Assert.Equal(payload, Encoding.UTF8.GetString(letter.Payload));
    }

    [Fact]
    public void RoundTrips_BinaryPayloads()
    {
        byte[] payload = [0x7B, 0xFF, 0xC3, 0x28, 0x7D];
        var letter = DeadLetter.Parse(DlqEnvelope.ToBytes("compute-cost", new Rejection(RejectionKind.Encoding, "$", "not UTF-8"), Source, payload, FailedAt));
        Assert.Equal(payload, letter.Payload);
        Assert.Equal(RejectionKind.Encoding, letter.Kind);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"pipeline\":\"x\"}")]
    [InlineData("{\"pipeline\":\"x\",\"error\":{\"kind\":\"weird\",\"path\":\"$\",\"message\":\"m\"},\"source\":{}}")]
    public void Rejects_WhatIsNotAnEnvelope(string text) =>
        Assert.Throws<FormatException>(() => DeadLetter.Parse(Encoding.UTF8.GetBytes(text)));
}
