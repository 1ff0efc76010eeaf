using Datastream.Hosting;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Running;

namespace Datastream.Tests.Hosting;

/// <summary>`run`'s pipelines side by side: one that dies stops the others and the producer, and is named.</summary>
public sealed class PipelineSupervisorTests
{
    [Fact]
    public async Task APipelineThatDies_StopsTheOthers_AndIsNamedWithItsError()
    {
        await using var pipelines = await DeadPipeline.CreateAsync();
        using var supervisor = new PipelineSupervisor(TestContext.Current.CancellationToken);

        supervisor.Start(stop => pipelines.Running.RunAsync(untilIdle: null, stop));
        supervisor.Start(stop => pipelines.Dying.RunAsync(untilIdle: null, stop));
        var died = await Assert.ThrowsAsync<PipelineFailedException>(supervisor.WhenAllStoppedAsync);

        Assert.Equal(ComputeCostPipeline.Name, died.Pipeline);
        Assert.Equal(DeadPipeline.Missing.Dlq, Assert.IsType<UnknownTopicException>(died.InnerException).Topic);
        Assert.Equal($"pipeline compute-cost failed: topic '{DeadPipeline.Missing.Dlq}' does not exist (create it with 'datastream topics create')", died.Message);
        Assert.Equal(PipelineState.Failed, pipelines.Dying.Progress.State);
        // The healthy one would have run forever: the death stopped it, and the producer's token with it.
        Assert.Equal(PipelineState.Stopped, pipelines.Running.Progress.State);
        Assert.True(supervisor.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task AStopOfTheProcess_StopsEveryPipeline_AndIsNoFailure()
    {
        await using var pipelines = await DeadPipeline.CreateAsync();
        using var processStop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var supervisor = new PipelineSupervisor(processStop.Token);

        supervisor.Start(stop => pipelines.Running.RunAsync(untilIdle: null, stop));
        await Eventually.HoldsAsync("pipeline idle", () => pipelines.Running.Progress.State == PipelineState.Idle, interval: TimeSpan.FromMilliseconds(10));
        await processStop.CancelAsync();
        await supervisor.WhenAllStoppedAsync();

        Assert.Equal(PipelineState.Stopped, pipelines.Running.Progress.State);
    }
}
