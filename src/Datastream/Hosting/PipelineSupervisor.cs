using System.Runtime.ExceptionServices;

namespace Datastream.Hosting;

/// <summary>
/// The pipelines of one process (`run`) side by side: the first that dies (an error the runner does not retry) makes
/// <see cref="Stopping"/> fire, so the others and the producer stop after their batch in hand and the process ends
/// naming it, rather than running on half a system that nobody notices until the producer is done.
/// </summary>
public sealed class PipelineSupervisor : IDisposable
{
    private readonly CancellationTokenSource _stopping;
    private readonly List<Task> _running = [];
    private ExceptionDispatchInfo? _firstDeath;

    /// <param name="stop">The process's own stop (Ctrl-C, SIGTERM): it stops everything too.</param>
    public PipelineSupervisor(CancellationToken stop) => _stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);

    /// <summary>Cancelled when the process stops, or once a pipeline has died: what the producer and the pipelines stop on.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Runs a pipeline on the thread pool (a pipeline's loop may not yield for a while), stopping on <see cref="Stopping"/>.</summary>
    public void Start(Func<CancellationToken, Task> run)
    {
        var running = Task.Run(async () =>
        {
            try
            {
                await run(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopped as asked: not a death.
            }
            catch (Exception error)
            {
                Interlocked.CompareExchange(ref _firstDeath, ExceptionDispatchInfo.Capture(error), null);
                await _stopping.CancelAsync();
            }
        }, CancellationToken.None);
        _running.Add(running);
    }

    /// <summary>Waits until every pipeline has ended; then throws the error of the first that died, if one did.</summary>
    public async Task WhenAllStoppedAsync()
    {
        await Task.WhenAll(_running);
        _firstDeath?.Throw();
    }

    public void Dispose() => _stopping.Dispose();
}
