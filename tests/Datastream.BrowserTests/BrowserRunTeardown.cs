using Datastream.IntegrationTests;
using Microsoft.Playwright;

namespace Datastream.BrowserTests;

/// <summary>Ends what a browser test started, browser first: the app's Blazor circuits close before it stops.</summary>
internal static class BrowserRunTeardown
{
    public static async Task EndAsync(IBrowser? browser, IPlaywright? playwright, DatastreamProcess? process, TemporaryDirectory dataDir)
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        if (process is not null)
        {
            process.Terminate();
            try
            {
                await process.WaitAsync(TimeSpan.FromSeconds(60));
            }
            finally
            {
                process.Dispose();
            }
        }

        dataDir.Dispose();
    }
}
