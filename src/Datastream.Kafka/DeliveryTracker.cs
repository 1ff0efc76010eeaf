using Confluent.Kafka;

namespace Datastream.Kafka;

/// <summary>
/// Counts the records handed to librdkafka and the delivery reports that came back, keeping the first failure.
/// Records are produced without one await each; this is how the caller still learns that every one landed.
/// </summary>
internal sealed class DeliveryTracker
{
    // Starts at 1: the producing side holds one count until it has handed over everything, so the task cannot
    // complete while records are still being produced.
    private int _pending = 1;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DeliveryFailure? _failure;

    public DeliveryFailure? Failure => Volatile.Read(ref _failure);

    /// <summary>Call before handing one record to the producer.</summary>
    public void Sent() => Interlocked.Increment(ref _pending);

    /// <summary>Call from the delivery report (or when the hand-over itself failed).</summary>
    public void Delivered(string topic, Error? error)
    {
        if (error is { IsError: true })
        {
            Interlocked.CompareExchange(ref _failure, new DeliveryFailure(topic, error), null);
        }

        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Waits until every record sent so far has its report; call once, after the last Sent.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Delivered("", null);
        try
        {
            await _drained.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Volatile.Read(ref _pending)} records still had no delivery report after {timeout}");
        }
    }
}
