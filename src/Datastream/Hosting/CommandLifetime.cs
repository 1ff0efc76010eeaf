using Microsoft.Extensions.Hosting;

namespace Datastream.Hosting;

/// <summary>
/// The host's lifetime under a CLI command: the command decides when the work ends, and <see cref="ShutdownSignal"/>
/// owns Ctrl-C and SIGTERM (finish the batch in hand), so the console lifetime's own handlers are not installed.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
