using Datastream.Core.Dlq;
using Datastream.Pipelines.Log;
using Microsoft.Extensions.Logging;

namespace Datastream.Web;

/// <summary>
/// Follows rides_dlq from its beginning with a private consumer group that never commits, and keeps the most
/// recent envelopes in memory for the dead-letters page, with totals per kind over everything read. Reading the
/// topic rather than the pipelines' own counters shows dead letters of every process, also those of earlier runs.
/// What it keeps is bounded in bytes (DeadLetters:PageCacheBytes), not in letters: a dead letter carries up to
/// DeadLetters:MaxBytes of payload, so 10,000 of them could be gigabytes. The oldest go first.
/// </summary>
public sealed class DeadLetterFeed(ILog log, string topic, ILogger<DeadLetterFeed> logger)
{
    private readonly object _gate = new();
    private readonly LinkedList<DeadLetterEntry> _recent = new();
    private readonly Dictionary<RejectionKind, long> _totals = [];
    private long _maxBytes;
    private long _retainedBytes;
    private long _unreadable;

    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>What the kept dead letters take in memory, by <see cref="DeadLetterEntry.RetainedBytes"/>.</summary>
    public long RetainedBytes
    {
        get
        {
            lock (_gate)
            {
                return _retainedBytes;
            }
        }
    }

    /// <summary>Reads the topic until <paramref name="stop"/>, keeping the newest dead letters within <paramref name="maxBytes"/>.</summary>
    public async Task RunAsync(long maxBytes, CancellationToken stop)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        lock (_gate)
        {
            _maxBytes = maxBytes;
        }

        try
        {
            await using var consumer = log.CreateConsumer(new ConsumerSpec($"datastream-web-dlq-{Guid.NewGuid():N}", [topic]));
            while (!stop.IsCancellationRequested)
            {
                var records = await consumer.PollAsync(1000, TimeSpan.FromMilliseconds(500), stop);
                foreach (var record in records)
                {
                    Add(record);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            // The page then says the feed stopped; the pipelines are not affected.
            logger.LogError(error, "dead-letter feed on {Topic} stopped", topic);
            Failure = error.Message;
        }
    }

    /// <summary>Why the feed stopped, when it did.</summary>
    public string? Failure { get; private set; }

    public IReadOnlyDictionary<RejectionKind, long> Totals()
    {
        lock (_gate)
        {
            return new Dictionary<RejectionKind, long>(_totals);
        }
    }

    /// <summary>Newest first, optionally of one kind and/or one pipeline.</summary>
    public (long Matching, IReadOnlyList<DeadLetterEntry> Page) Browse(RejectionKind? kind, string? pipeline, int offset, int limit)
    {
        lock (_gate)
        {
            var matching = _recent.Where(e => (kind is null || e.Letter.Kind == kind) && (pipeline is null || e.Letter.Pipeline == pipeline)).ToList();
            return (matching.Count, matching.Skip(offset).Take(limit).ToList());
        }
    }

    private void Add(LogRecord record)
    {
        DeadLetter letter;
        try
        {
            letter = DeadLetter.Parse(record.Value);
        }
        catch (FormatException error)
        {
            Interlocked.Increment(ref _unreadable);
            logger.LogWarning("{Topic}[{Partition}]@{Offset} is not a dead-letter envelope: {Message}", record.Topic, record.Partition, record.Offset, error.Message);
            return;
        }

        lock (_gate)
        {
            _totals[letter.Kind] = _totals.GetValueOrDefault(letter.Kind) + 1;
            var entry = new DeadLetterEntry(record.Partition, record.Offset, letter);
            _recent.AddFirst(entry);
            _retainedBytes += entry.RetainedBytes;
            while (_retainedBytes > _maxBytes && _recent.Last is { } oldest)
            {
                _retainedBytes -= oldest.Value.RetainedBytes;
                _recent.RemoveLast();
            }
        }
    }
}
