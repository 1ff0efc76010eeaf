using System.Runtime.InteropServices;

namespace Datastream.Hosting;

/// <summary>
/// Turns Ctrl-C and SIGTERM into a cancellation so that pipelines finish and commit their batch, then exit 0.
/// A second signal is left to the default handler, which kills the process.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (!_source.IsCancellationRequested)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"{context.Signal}: finishing the current batch, then stopping (send again to kill)");
            _source.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }
}
