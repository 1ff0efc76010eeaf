using System.Collections.Concurrent;

namespace Datastream.Pipelines.Tests;

/// <summary>
/// A clock whose timers fire at once and remember what they were asked to wait: a backoff can be checked delay by
/// delay without waiting for any of it.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Waits.Enqueue(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
