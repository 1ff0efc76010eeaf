namespace Datastream.Cli;

/// <summary>A single self-overwriting progress line on the terminal; silent when output is redirected (CI, pipes).</summary>
public sealed class StatusLine : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _enabled = !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    public StatusLine(Func<string> render)
    {
        _loop = _enabled ? RunAsync(render) : Task.CompletedTask;
    }

    private async Task RunAsync(Func<string> render)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                string text = render();
                int width = Math.Max(20, Console.WindowWidth - 1);
                Console.Error.Write("\r" + (text.Length > width ? text[..width] : text.PadRight(width)));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        if (_enabled)
        {
            Console.Error.Write("\r" + new string(' ', Math.Max(20, Console.WindowWidth - 1)) + "\r");
        }

        _stop.Dispose();
    }
}
