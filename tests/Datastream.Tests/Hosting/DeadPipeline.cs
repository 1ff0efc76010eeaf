using Datastream.Embedded;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Tests.Hosting;

/// <summary>
/// Real compute-cost pipelines on a real embedded log: one whose dead-letter topic was never created, so its first
/// batch (records that are not rides, each a dead letter) meets the one error a pipeline does not retry, and one
/// whose topics all exist, which runs until it is stopped.
/// </summary>
internal sealed class DeadPipeline : IAsyncDisposable
{
    public static readonly TopicNames Healthy = new("healthy_raw", "healthy_result", "healthy_dlq");
    public static readonly TopicNames Missing = new("dying_raw", "dying_result", "dying_dlq");

    private readonly TemporaryDirectory _dir;
    private readonly DatastreamMetrics _metrics = new();

    private DeadPipeline(TemporaryDirectory dir, SqliteLog log)
    {
        _dir = dir;
        Log = log;
        Dying = Pipeline(Missing, "dying");
        Running = Pipeline(Healthy, "healthy");
    }

    public SqliteLog Log { get; }

    /// <summary>Dies of the missing <c>dying_dlq</c> topic on its first batch.</summary>
    public ComputeCostPipeline Dying { get; }

    /// <summary>Runs until it is stopped: nothing ends it by itself.</summary>
    public ComputeCostPipeline Running { get; }

    public static async Task<DeadPipeline> CreateAsync()
    {
        var dir = new TemporaryDirectory();
        var log = new SqliteLog(new EmbeddedLogOptions(dir.Path));
        foreach (string topic in new[] { Healthy.Raw, Healthy.Result, Healthy.Dlq, Missing.Raw, Missing.Result })
        {
            await log.CreateTopicAsync(new TopicSpec(topic));
        }

        await using var producer = log.CreateProducer();
        await producer.ProduceAsync([.. Enumerable.Range(0, 3).Select(i => new OutgoingRecord(Missing.Raw, null, "not a ride"u8.ToArray()))]);
        return new DeadPipeline(dir, log);
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        _metrics.Dispose();
        _dir.Dispose();
    }

    private ComputeCostPipeline Pipeline(TopicNames topics, string group) => new(Log,
        new ComputeCostSettings { Topics = topics, Group = group, PollWait = TimeSpan.FromMilliseconds(20), MinRetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero },
        _metrics, NullLogger<ComputeCostPipeline>.Instance);
}
