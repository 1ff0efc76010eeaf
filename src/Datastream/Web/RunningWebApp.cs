namespace Datastream.Web;

/// <summary>The web app of a run with the background work that feeds it (dead-letter feed, rates); stopped together.</summary>
public sealed class RunningWebApp(DatastreamWebApp app, IReadOnlyList<Task> feeding) : IAsyncDisposable
{
    public IReadOnlyList<string> Urls => app.Urls;

    /// <summary>Stops the web app; the feeding tasks end with the token they were started with.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await Task.WhenAll(feeding);
    }
}
