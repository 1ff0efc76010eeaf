using Microsoft.AspNetCore.Components;

namespace Datastream.Web.Components;

/// <summary>
/// A page that refreshes itself every two seconds from the running system while a browser shows it. The loop
/// starts after the first interactive render (a prerender has no circuit to push updates through) and stops when
/// the page is disposed, so a closed tab leaves no timer behind.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Why the last refresh failed, shown on the page in one line; null once a refresh succeeds again.</summary>
    protected string? RefreshError { get; private set; }

    /// <summary>Reads the figures the page shows.</summary>
    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    protected override Task OnInitializedAsync() => SafeRefreshAsync();

    /// <summary>Refreshes at once (a changed time range), not at the next tick; the event that calls it renders the page.</summary>
    protected Task RefreshNowAsync() => SafeRefreshAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _ = LoopAsync();
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await InvokeAsync(async () =>
                {
                    await SafeRefreshAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // The page was disposed between a tick and its render: the circuit is gone, nothing left to update.
        }
    }

    private async Task SafeRefreshAsync()
    {
        try
        {
            await RefreshAsync(_stop.Token);
            RefreshError = null;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            // A page keeps its last figures and says what went wrong rather than breaking the circuit.
            RefreshError = error.Message;
        }
    }

    public void Dispose()
    {
        // Cancelled, not disposed: the loop may still be between a tick and its check of the token.
        _stop.Cancel();
        GC.SuppressFinalize(this);
    }
}
