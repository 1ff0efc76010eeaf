using System.Buffers;
using Datastream.Core.Dlq;
using Datastream.Embedded;
using Datastream.Pipelines.Log;
using Datastream.Testing;
using Datastream.Web;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Tests.Web;

/// <summary>The dead-letters page keeps the newest dead letters within a byte budget, whatever their number.</summary>
public sealed class DeadLetterFeedTests
{
    private const string Topic = "rides_dlq";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheFeedKeepsTheNewestDeadLettersWithinItsByteBudget_AndCountsEveryOne()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(new EmbeddedLogOptions(dir.Path));
        await log.CreateTopicAsync(new TopicSpec(Topic, 1), Cancel);
        // 50 dead letters of 20,000 payload bytes each: about 1 MB, against a budget of 200,000 bytes.
        const int letters = 50;
        const int payloadBytes = 20_000;
        const long budget = 200_000;
        await ProduceDeadLettersAsync(log, letters, payloadBytes);
        var feed = new DeadLetterFeed(log, Topic, NullLogger<DeadLetterFeed>.Instance);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var running = feed.RunAsync(budget, stop.Token);
        await Eventually.HoldsAsync("the feed has read every dead letter", () => feed.Totals().Values.Sum() == letters || running.IsCompleted);
        await stop.CancelAsync();
        await running;

        Assert.Null(feed.Failure);
        var (matching, page) = feed.Browse(kind: null, pipeline: null, offset: 0, limit: letters);
        Assert.Equal(letters, feed.Totals()[RejectionKind.Schema]);
        Assert.Equal(page.Count, matching);
        // Honest sizes: each kept entry counts at least its payload, and all of them together stay within the budget.
        Assert.All(page, e => Assert.InRange(e.RetainedBytes, payloadBytes, payloadBytes + 2_000));
        Assert.Equal(page.Sum(e => e.RetainedBytes), feed.RetainedBytes);
        Assert.InRange(feed.RetainedBytes, 1, budget);
        // As many as fit, the newest first: one more of the same size would have been over the budget.
        Assert.InRange(page.Count, 2, (int)(budget / payloadBytes));
        Assert.True(feed.RetainedBytes + page[^1].RetainedBytes > budget, $"{page.Count} kept ({feed.RetainedBytes} bytes): room was left for another");
        Assert.Equal(Enumerable.Range(letters - page.Count, page.Count).Reverse().Select(o => (long)o), page.Select(e => e.Offset));
        Assert.All(page, e => Assert.Equal(payloadBytes, e.Letter.Payload.Length));
    }

    private static async Task ProduceDeadLettersAsync(SqliteLog log, int count, int payloadBytes)
    {
        var records = new List<OutgoingRecord>();
        for (int i = 0; i < count; i++)
        {
            var payload = new byte[payloadBytes];
            payload.AsSpan().Fill((byte)('a' + i % 26));
            var envelope = new ArrayBufferWriter<byte>();
            DlqEnvelope.Write(envelope, "compute-cost", new Rejection(RejectionKind.Schema, "$.ride_id", "missing"),
                new SourceRecordRef("rides_raw", 0, i, DateTime.UtcNow), payload, DateTime.UtcNow);
            records.Add(new OutgoingRecord(Topic, ReadOnlyMemory<byte>.Empty, envelope.WrittenMemory));
        }

        await using var producer = log.CreateProducer();
        await producer.ProduceAsync(records, Cancel);
    }
}
