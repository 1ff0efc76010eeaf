using System.Diagnostics;
using Datastream.Core.Rides;
using Datastream.Kafka;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Benchmarks.Kafka;

/// <summary>The real ComputeCostPipeline over the Kafka engine, transactions on, until it has consumed every input record.</summary>
internal sealed class ComputeCostOnKafka(KafkaLog log, int batchSize, int maxMessageBytes)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public async Task<PassRate> RunAsync(TopicNames topics, string group, long records)
    {
        var pipeline = new ComputeCostPipeline(
            log,
            new ComputeCostSettings
            {
                Topics = topics,
                Group = group,
                BatchSize = batchSize,
                Transform = new ComputeCostOptions { MaxMessageBytes = maxMessageBytes },
            },
            new DatastreamMetrics(),
            NullLogger<ComputeCostPipeline>.Instance);
        using var stop = new CancellationTokenSource(Timeout);
        var run = pipeline.RunAsync(null, stop.Token);
        // Progress counts a batch once its transaction is committed: the first count marks the end of the first one.
        long firstCommitted = 0;
        long firstCommitAt = 0;
        long firstBatches = 0;
        while (pipeline.Progress.Consumed < records && !run.IsCompleted && !stop.IsCancellationRequested)
        {
            if (firstCommitAt == 0 && pipeline.Progress.Consumed > 0)
            {
                firstCommitAt = Stopwatch.GetTimestamp();
                firstCommitted = pipeline.Progress.Consumed;
                firstBatches = pipeline.Progress.Batches;
            }

            Thread.Sleep(1);
        }

        var elapsed = Stopwatch.GetElapsedTime(firstCommitAt);
        long consumed = pipeline.Progress.Consumed;
        long batches = pipeline.Progress.Batches;
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // The stop we asked for.
        }

        if (consumed != records || firstCommitAt == 0)
        {
            throw new InvalidOperationException($"compute-cost consumed {consumed} of {records} records (last error: {pipeline.Progress.LastError})");
        }

        return new PassRate(consumed - firstCommitted, elapsed, (int)(batches - firstBatches));
    }
}
