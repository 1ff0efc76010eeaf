namespace Datastream.Pipelines;

/// <summary>
/// An operator's pause of a running pipeline (the web app's pipelines page). The pipeline looks at it between
/// batches: a batch in hand is always finished and committed first, so pausing never leaves work half done.
/// </summary>
public sealed class PauseSwitch
{
    private readonly object _gate = new();
    private TaskCompletionSource? _resumed;

    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _resumed is not null;
            }
        }
    }

    /// <summary>Returns false when it was paused already.</summary>
    public bool Pause()
    {
        lock (_gate)
        {
            if (_resumed is not null)
            {
                return false;
            }

            _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }

    /// <summary>Returns false when it was not paused.</summary>
    public bool Resume()
    {
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            waiting = _resumed;
            _resumed = null;
        }

        waiting?.TrySetResult();
        return waiting is not null;
    }

    /// <summary>
    /// Waits until resumed, calling <paramref name="whilePaused"/> about every <paramref name="interval"/> meanwhile
    /// (the pipelines keep their lag current, so a paused pipeline's growing backlog stays visible).
    /// Returns false when <paramref name="stop"/> ended the wait.
    /// </summary>
    public async Task<bool> WaitUntilResumedAsync(TimeSpan interval, Func<Task> whilePaused, CancellationToken stop)
    {
        while (true)
        {
            Task? waiting;
            lock (_gate)
            {
                waiting = _resumed?.Task;
            }

            if (waiting is null)
            {
                return true;
            }

            try
            {
                await waiting.WaitAsync(interval, stop);
                return true;
            }
            catch (TimeoutException)
            {
                await whilePaused();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
        }
    }
}
