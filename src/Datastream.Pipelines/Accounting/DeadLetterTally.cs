using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;

namespace Datastream.Pipelines.Accounting;

/// <summary>
/// The dead letters of rides_dlq counted by the topic of their source record and their kind: what tells
/// compute-cost's dead letters (source rides_raw) from index-and-export's (source rides_result), and, among the
/// latter, records that were never results at all (bad records written to rides_result by someone else) from
/// results the index refused (sink_rejected).
/// </summary>
public sealed record DeadLetterTally(IReadOnlyDictionary<(string SourceTopic, RejectionKind Kind), long> Counts, long Unreadable)
{
    public long From(string sourceTopic) => Counts.Where(c => c.Key.SourceTopic == sourceTopic).Sum(c => c.Value);

    public long From(string sourceTopic, Func<RejectionKind, bool> kind) => Counts.Where(c => c.Key.SourceTopic == sourceTopic && kind(c.Key.Kind)).Sum(c => c.Value);

    /// <summary>Reads the topic from its beginning to its end with a private group that never commits (it leaves no offsets behind).</summary>
    /// <param name="progress">Told how many dead letters were read so far.</param>
    public static async Task<DeadLetterTally> ReadAsync(ILog log, string dlqTopic, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string, RejectionKind), long>();
        long unreadable = 0;
        long read = 0;
        await using var consumer = log.CreateConsumer(new ConsumerSpec($"datastream-stats-{Guid.NewGuid():N}", [dlqTopic]) { WhenNoCommittedOffset = StartPosition.Earliest });
        while (true)
        {
            var records = await consumer.PollAsync(5000, TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            foreach (var record in records)
            {
                DeadLetter letter;
                try
                {
                    letter = DeadLetter.Parse(record.Value);
                }
                catch (FormatException)
                {
                    unreadable++;
                    continue;
                }

                var key = (letter.Source.Topic, letter.Kind);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }

            read += records.Count;
            progress?.Report(read);
            if (records.Count == 0 && await consumer.IsAtEndAsync(cancellationToken).ConfigureAwait(false))
            {
                return new DeadLetterTally(counts, unreadable);
            }
        }
    }
}
