namespace Datastream.BrowserTests;

/// <summary>Beyond loopback the pipelines page asks for the admin token and switches nothing without the right one.</summary>
public sealed class AdminTokenTests(RunningDatastreamBeyondLoopback system) : IClassFixture<RunningDatastreamBeyondLoopback>
{
    [Fact]
    public async Task Pause_needs_the_admin_token_beyond_loopback()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync("pipelines");
        var panel = page.GetByTestId("pipeline-compute-cost");
        var token = page.GetByTestId("admin-token");

        await token.FillAsync("not-the-token");
        await panel.GetByTestId("pause").ClickAsync();
        await Eventually.HoldsAsync("pausing with a wrong token is refused", async () =>
        {
            var error = page.GetByTestId("switch-error");
            string text = await error.CountAsync() == 1 ? await error.InnerTextAsync() : "";
            return (text.Contains("admin token", StringComparison.Ordinal), text);
        });
        // The message shows once the click was handled, so the refusal is final by now.
        Assert.False((await system.ApiAsync("api/pipelines/compute-cost")).GetProperty("paused").GetBoolean(), "a wrong token paused compute-cost");

        await token.FillAsync(RunningDatastreamBeyondLoopback.AdminToken);
        await panel.GetByTestId("pause").ClickAsync();
        await Eventually.HoldsAsync("compute-cost shows paused with the token", async () =>
        {
            string shown = await panel.GetByTestId("state").InnerTextAsync();
            return (shown == "paused", shown);
        });
        Assert.True((await system.ApiAsync("api/pipelines/compute-cost")).GetProperty("paused").GetBoolean());
        Assert.Equal(0, await page.GetByTestId("switch-error").CountAsync());

        await panel.GetByTestId("resume").ClickAsync();
        await Eventually.HoldsAsync("compute-cost leaves paused", async () =>
        {
            string shown = await panel.GetByTestId("state").InnerTextAsync();
            return (shown != "paused", shown);
        });
    }
}
