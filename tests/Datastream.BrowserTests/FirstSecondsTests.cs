using System.Globalization;
using System.Text.Json;
using Datastream.IntegrationTests;
using Microsoft.Playwright;

namespace Datastream.BrowserTests;

/// <summary>
/// The first seconds of `datastream run` as a new user sees them in a browser: revenue per cluster and comfort on the
/// dashboard within 15 s of the start (SPEC §4), no error in the browser console nor a failed request on any page, and
/// the time-range selector changing what the dashboard's charts and discover's search cover. Its own `run`: the clock
/// starts with the process, so the browser is up before it.
/// </summary>
public sealed class FirstSecondsTests : IAsyncLifetime
{
    /// <summary>SPEC §4: revenue "available within 15 s of its start".</summary>
    private static readonly TimeSpan RevenueDeadline = TimeSpan.FromSeconds(15);

    private readonly TemporaryDirectory _dataDir = new();
    private readonly List<string> _problems = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DatastreamProcess? _process;

    public async ValueTask InitializeAsync()
    {
        if (!Chromium.Available)
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium.Path!, Headless = true });
    }

    [Fact]
    public async Task Revenue_shows_within_15_s_of_the_start_without_console_errors_and_the_time_range_changes_the_charts()
    {
        Chromium.Require();
        var started = DateTime.UtcNow;
        _process = DatastreamProcess.Start(_dataDir.Path, ["run", "--rate", "300", "--invalid-ratio", "0.05", "--urls", "http://127.0.0.1:0"]);
        var address = await _process.WebAddressAsync(RevenueDeadline);
        await using var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString() });
        Watch(context);
        var page = await context.NewPageAsync();
        await page.OpenAsync("/");

        var revenue = page.GetByTestId("panel-revenue");
        await Eventually.HoldsAsync("the dashboard's revenue table has rows", async () =>
        {
            string rows = await revenue.GetAttributeAsync("data-rows") ?? "0";
            int cells = await revenue.Locator("tbody tr").CountAsync();
            return (rows != "0" && cells > 0, $"data-rows={rows}, {cells} table rows, {(DateTime.UtcNow - started).TotalSeconds:F1} s after the start");
        }, started + RevenueDeadline - DateTime.UtcNow);
        using (var http = new HttpClient { BaseAddress = address })
        {
            using var answer = JsonDocument.Parse(await http.GetStringAsync("api/revenue", TestContext.Current.CancellationToken));
            Assert.True(answer.RootElement.GetProperty("rows").GetArrayLength() > 0, "/api/revenue has rows too");
        }

        // The selector's default is the last hour of data; each choice changes the window the charts cover.
        var window = page.GetByTestId("volume-window");
        await AssertWindowAsync(window, TimeSpan.FromHours(1), bucketMinutes: 1);
        await page.GetByTestId("time-range").SelectOptionAsync("15m");
        await AssertWindowAsync(window, TimeSpan.FromMinutes(15), bucketMinutes: 1);
        await page.GetByTestId("time-range").SelectOptionAsync("24h");
        await AssertWindowAsync(window, TimeSpan.FromHours(24), bucketMinutes: 15);
        Assert.Contains("per 15 minutes", await page.GetByTestId("panel-volume").Locator("h2").InnerTextAsync(), StringComparison.Ordinal);
        // All the data of a run this young: from its first minute, so less than an hour wide and minute buckets again.
        await page.GetByTestId("time-range").SelectOptionAsync("all");
        await Eventually.HoldsAsync("'all' covers the data from its first minute", async () =>
        {
            var (from, to, bucket) = await WindowAsync(window);
            return (to - from < TimeSpan.FromHours(1) && bucket == 1, $"{from:O} – {to:O}, {bucket} min buckets");
        });
        await Eventually.HoldsAsync("the volume chart draws the chosen window", async () =>
        {
            long points = long.Parse(await page.GetByTestId("panel-volume").GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);
            return (points > 0, $"{points} points");
        });

        // Discover: a range bounds the search from its start, shown with the total.
        await page.OpenAsync("discover");
        await Eventually.HoldsAsync("discover lists rides", async () => (await page.GetByTestId("ride-id").CountAsync() > 0, "no rows"));
        await page.GetByTestId("time-range").SelectOptionAsync("15m");
        await Eventually.HoldsAsync("discover searches the last 15 minutes", async () =>
        {
            string total = (await page.GetByTestId("search-total").InnerTextAsync()).Trim();
            return (total.Contains(" since ", StringComparison.Ordinal) && await page.GetByTestId("ride-id").CountAsync() > 0, total);
        });

        foreach (string path in new[] { "pipelines", "dead-letters" })
        {
            await page.OpenAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        lock (_problems)
        {
            Assert.True(_problems.Count == 0, "the browser saw:\n" + string.Join('\n', _problems));
        }
    }

    public async ValueTask DisposeAsync() => await BrowserRunTeardown.EndAsync(_browser, _playwright, _process, _dataDir);

    /// <summary>Console errors, failed requests and error answers of every page of <paramref name="context"/>, for the whole test.</summary>
    private void Watch(IBrowserContext context)
    {
        context.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Problem($"console error: {message.Text} ({message.Location})");
            }
        };
        context.RequestFailed += (_, request) => Problem($"request failed: {request.Method} {request.Url}: {request.Failure}");
        context.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Problem($"{response.Status} for {response.Request.Method} {response.Url}");
            }
        };
    }

    private void Problem(string text)
    {
        lock (_problems)
        {
            _problems.Add(text);
        }
    }

    private static async Task AssertWindowAsync(ILocator window, TimeSpan span, int bucketMinutes) =>
        await Eventually.HoldsAsync($"the charts cover {span} in {bucketMinutes}-minute buckets", async () =>
        {
            var (from, to, bucket) = await WindowAsync(window);
            return (to - from == span && bucket == bucketMinutes, $"{from:O} – {to:O}, {bucket} min buckets");
        });

    private static async Task<(DateTime From, DateTime To, int BucketMinutes)> WindowAsync(ILocator window)
    {
        static DateTime Instant(string? text) => text is { Length: > 0 }
            ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            : DateTime.MinValue;
        return (Instant(await window.GetAttributeAsync("data-from")), Instant(await window.GetAttributeAsync("data-to")),
            int.TryParse(await window.GetAttributeAsync("data-bucket-minutes"), CultureInfo.InvariantCulture, out int bucket) ? bucket : 0);
    }
}
