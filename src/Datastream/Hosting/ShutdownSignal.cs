using System.Runtime.InteropServices;

namespace Datastream.Hosting;

/// <summary>
/// Turns Ctrl-C and SIGTERM into a cancellation so that pipelines finish and commit their batch, then exit 0.
/// A second signal is left to the default handler, which kills the process.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;

    public ShutdownSignal()
    {
        registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (!source.IsCancellationRequested)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"{context.Signal}: finishing the current batch, then stopping (send again to kill)");
            source.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        source.Dispose();
    }
}
