using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;
using Microsoft.Extensions.Logging;

namespace Datastream.Pipelines.Replay;

/// <summary>
/// Sends the original payloads of dead letters back to an input topic once the problem was fixed upstream
/// (`topics replay rides_dlq --to rides_raw`). Progress is kept in a consumer group per (dlq, target) pair, so each
/// dead letter is replayed once; a crash between producing and committing replays that batch again (at least once).
/// </summary>
public sealed class DeadLetterReplay(ILog log, ILogger<DeadLetterReplay> logger)
{
    public static string GroupFor(string dlqTopic, string targetTopic) => $"datastream-replay-{dlqTopic}-to-{targetTopic}";

    /// <param name="onlyKind">Replay only dead letters of this kind; the others are skipped (and not replayed later).</param>
    /// <param name="everything">Replay every dead letter again through a throwaway group, ignoring earlier replays.</param>
    public async Task<ReplayOutcome> RunAsync(string dlqTopic, string targetTopic, RejectionKind? onlyKind, bool everything, CancellationToken cancellationToken)
    {
        _ = await log.DescribeTopicAsync(targetTopic, cancellationToken) ?? throw new UnknownTopicException(targetTopic);
        string group = everything ? $"{GroupFor(dlqTopic, targetTopic)}-{Guid.NewGuid():N}" : GroupFor(dlqTopic, targetTopic);
        await using var consumer = log.CreateConsumer(new ConsumerSpec(group, [dlqTopic]));
        await using var producer = log.CreateProducer();
        long replayed = 0;
        long skipped = 0;
        var batch = new List<OutgoingRecord>();
        var next = new Dictionary<TopicPartition, long>();
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<LogRecord> records;
            try
            {
                records = await consumer.PollAsync(1000, TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (records.Count == 0)
            {
                if (await consumer.IsAtEndAsync(cancellationToken))
                {
                    break;
                }

                continue;
            }

            batch.Clear();
            next.Clear();
            foreach (var record in records)
            {
                next[record.TopicPartition] = record.Offset + 1;
                DeadLetter letter;
                try
                {
                    letter = DeadLetter.Parse(record.Value);
                }
                catch (FormatException e)
                {
                    logger.LogWarning("{Topic}[{Partition}]@{Offset} skipped: {Reason}", record.Topic, record.Partition, record.Offset, e.Message);
                    skipped++;
                    continue;
                }

                if (onlyKind is { } kind && letter.Kind != kind)
                {
                    skipped++;
                    continue;
                }

                if (letter.PayloadTruncated)
                {
                    // Sending the beginning of a record would make a new, wrong one: the original is at its source offset.
                    logger.LogWarning("{Topic}[{Partition}]@{Offset} skipped: its payload was truncated in the envelope ({Bytes} bytes originally); the original is {Source}[{SourcePartition}]@{SourceOffset}",
                        record.Topic, record.Partition, record.Offset, letter.PayloadBytes, letter.Source.Topic, letter.Source.Partition, letter.Source.Offset);
                    skipped++;
                    continue;
                }

                batch.Add(new OutgoingRecord(targetTopic, record.Key ?? ReadOnlyMemory<byte>.Empty, letter.Payload));
            }

            await producer.ProduceAsync(batch, CancellationToken.None);
            await consumer.CommitAsync(next.Select(n => new TopicPartitionOffset(n.Key.Topic, n.Key.Partition, n.Value)).ToList(), CancellationToken.None);
            replayed += batch.Count;
        }

        return new ReplayOutcome(replayed, skipped);
    }
}
