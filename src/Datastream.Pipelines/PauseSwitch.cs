namespace Datastream.Pipelines;

/// <summary>
/// An operator's pause of a running pipeline (the web app's pipelines page). The pipeline looks at it between
/// batches: a batch in hand is always finished and committed first, so pausing never leaves work half done.
/// </summary>
public sealed class PauseSwitch
{
    private readonly object gate = new();
    private TaskCompletionSource? resumed;

    public bool IsPaused
    {
        get
        {
            lock (gate)
            {
                return resumed is not null;
            }
        }
    }

    /// <summary>Returns false when it was paused already.</summary>
    public bool Pause()
    {
        lock (gate)
        {
            if (resumed is not null)
            {
                return false;
            }

            resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }

    /// <summary>Returns false when it was not paused.</summary>
    public bool Resume()
    {
        TaskCompletionSource? waiting;
        lock (gate)
        {
            waiting = resumed;
            resumed = null;
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
            lock (gate)
            {
                waiting = resumed?.Task;
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
