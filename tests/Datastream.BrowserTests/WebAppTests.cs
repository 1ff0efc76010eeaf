using System.Globalization;
using Microsoft.Playwright;

namespace Datastream.BrowserTests;

/// <summary>
/// The four pages in a real browser against a running system: their numbers move, pause/resume works from the
/// pipelines page, discover finds a ride by id, nothing is fetched from outside the machine, and the layout holds
/// at laptop and phone width. The tests of this class run one after the other on one `datastream run`.
/// </summary>
public sealed class WebAppTests(RunningDatastream system) : IClassFixture<RunningDatastream>
{
    private static readonly string[] Kinds = ["invalid_json", "encoding", "too_large", "schema", "sink_rejected"];

    private static readonly (string Path, string Name)[] AllPages = [("/", "dashboard"), ("discover", "discover"), ("pipelines", "pipelines"), ("dead-letters", "dead-letters")];

    public static TheoryData<string, string> Pages => new(AllPages);

    [Fact]
    public async Task Dashboard_shows_moving_headlines_charts_and_the_pickup_map()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync("/");

        var indexed = page.GetByTestId("headline-indexed");
        await indexed.GrowsAsync(await indexed.NumberAsync(), "the indexed total");
        Assert.True(await page.GetByTestId("headline-produced").NumberAsync() > 0, "rides produced");
        await page.GetByTestId("headline-dlq").GrowsAsync(0, "the dead-letter total");

        foreach (string panel in new[] { "panel-volume", "panel-distance", "panel-price", "panel-comfort" })
        {
            var chart = page.GetByTestId(panel);
            await Eventually.HoldsAsync($"{panel} draws its data", async () =>
            {
                long points = long.Parse(await chart.GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);
                int paths = await chart.Locator("svg path").CountAsync();
                return (points > 0 && paths > 0, $"{points} points, {paths} svg paths");
            });
        }

        var map = page.GetByTestId("pickup-map");
        await Eventually.HoldsAsync("the map shows pickups and centroids", async () =>
        {
            int pickups = await map.Locator("circle.ds-pickup").CountAsync();
            int centroids = await map.Locator(".ds-centroid").CountAsync();
            return (pickups > 0 && centroids > 0, $"{pickups} pickups, {centroids} centroids");
        });
        Assert.Equal(await map.Locator(".ds-centroid").CountAsync(), await page.GetByTestId("pickup-legend").Locator("li").CountAsync());
        Assert.NotEmpty((await page.GetByTestId("panel-revenue").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task Pipelines_page_shows_both_dags_and_a_growing_consumed_count()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync("pipelines");

        foreach (var (name, tasks) in new[] { ("compute-cost", new[] { "ConsumeKafka", "ComputeCostTravel", "PublishKafka" }), ("index-and-export", new[] { "ConsumeKafka", "TransformJSON", "PutElasticSearch", "PutGCP" }) })
        {
            var panel = page.GetByTestId($"pipeline-{name}");
            Assert.Equal(tasks, await panel.GetByTestId("task").AllInnerTextsAsync());
            var consumed = panel.GetByTestId("consumed");
            await consumed.GrowsAsync(await consumed.NumberAsync(), $"{name}'s consumed count");
        }
    }

    [Fact]
    public async Task Pause_and_resume_from_the_pipelines_page()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync("pipelines");
        var panel = page.GetByTestId("pipeline-compute-cost");
        var consumed = panel.GetByTestId("consumed");
        var state = panel.GetByTestId("state");
        await consumed.GrowsAsync(await consumed.NumberAsync(), "compute-cost's consumed count");

        await panel.GetByTestId("pause").ClickAsync();
        await Eventually.HoldsAsync("compute-cost shows paused", async () =>
        {
            string shown = await state.InnerTextAsync();
            return (shown == "paused", shown);
        });
        // The batch in hand finishes after the click; after that the count must hold still while the producer goes
        // on, which the growing lag shows (and proves the page still refreshes).
        long stillAt = 0;
        await Eventually.HoldsAsync("compute-cost's consumed count stops moving while its lag grows", async () =>
        {
            long before = await consumed.NumberAsync();
            long lagBefore = await panel.GetByTestId("lag").NumberAsync();
            await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
            long after = await consumed.NumberAsync();
            long lagAfter = await panel.GetByTestId("lag").NumberAsync();
            stillAt = after;
            return (before == after && lagAfter > lagBefore, $"consumed {before} → {after}, lag {lagBefore} → {lagAfter}");
        });
        Assert.Equal("paused", (await system.ApiAsync("api/pipelines/compute-cost")).GetProperty("state").GetString());

        await panel.GetByTestId("resume").ClickAsync();
        await Eventually.HoldsAsync("compute-cost leaves paused", async () =>
        {
            string shown = await state.InnerTextAsync();
            return (shown != "paused", shown);
        });
        await consumed.GrowsAsync(stillAt, "compute-cost's consumed count after resume");
    }

    [Fact]
    public async Task Discover_lists_rides_and_finds_one_by_id()
    {
        var rides = await system.ApiAsync("api/rides?limit=1");
        string rideId = rides.GetProperty("rides")[0].GetProperty("ride_id").GetString()!;
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync("discover");
        var ids = page.GetByTestId("ride-id");
        await Eventually.HoldsAsync("discover lists rides", async () =>
        {
            int count = await ids.CountAsync();
            return (count > 1, $"{count} rows");
        });

        await page.GetByTestId("search-ride-id").FillAsync(rideId);
        await page.GetByTestId("search-submit").ClickAsync();
        await Eventually.HoldsAsync($"discover shows exactly ride {rideId}", async () =>
        {
            var shown = await ids.AllInnerTextsAsync();
            return (shown.Count == 1 && shown[0] == rideId, string.Join(", ", shown.Take(3)) + $" ({shown.Count} rows)");
        });
        Assert.Equal("1 rides match", (await page.GetByTestId("search-total").InnerTextAsync()).Trim());

        await page.GetByTestId("search-ride-id").FillAsync("not-a-uuid");
        await page.GetByTestId("search-submit").ClickAsync();
        await Eventually.HoldsAsync("a bad ride_id gives a one-line message", async () =>
        {
            var error = page.GetByTestId("search-error");
            string text = await error.CountAsync() == 1 ? await error.InnerTextAsync() : "";
            return (text.Contains("ride_id", StringComparison.Ordinal) && !text.Contains('\n'), text);
        });
    }

    [Fact]
    public async Task Dead_letters_page_lists_envelopes_with_their_kind_and_payload()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync("dead-letters");
        var kinds = page.GetByTestId("kind");
        await Eventually.HoldsAsync("dead letters are listed", async () =>
        {
            int count = await kinds.CountAsync();
            return (count > 0, $"{count} rows");
        });
        Assert.All(await kinds.AllInnerTextsAsync(), kind => Assert.Contains(kind.Trim(), Kinds));

        await page.GetByTestId("show-payload").First.ClickAsync();
        await Eventually.HoldsAsync("the payload shows", async () =>
        {
            var payload = page.GetByTestId("payload");
            int count = await payload.CountAsync();
            return (count == 1 && (await payload.InnerTextAsync()).Length > 0, $"{count} payload panels");
        });
    }

    [Fact]
    public async Task Pages_fetch_nothing_beyond_this_machine()
    {
        await using var context = await system.NewContextAsync();
        var requested = new List<Uri>();
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            lock (requested)
            {
                requested.Add(url);
            }

            // Whatever would leave the machine is refused, so an offline site behaves the same as this test.
            await (url.IsLoopback ? route.ContinueAsync() : route.AbortAsync());
        });
        var page = await context.NewPageAsync();
        foreach (var (path, _) in AllPages)
        {
            await page.OpenAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        lock (requested)
        {
            Assert.Contains(requested, url => url.AbsolutePath.EndsWith(".css", StringComparison.Ordinal));
            Assert.Contains(requested, url => url.AbsolutePath.EndsWith(".js", StringComparison.Ordinal));
            var foreign = requested.Where(url => url.Host is not ("127.0.0.1" or "localhost")).ToList();
            Assert.True(foreign.Count == 0, $"the pages fetched from beyond this machine: {string.Join(", ", foreign)}");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Pages_fit_a_laptop_and_a_phone(string path, string name)
    {
        foreach (var (width, height, viewport) in new[] { (1366, 768, "1366x768"), (390, 844, "390x844") })
        {
            await using var context = await system.NewContextAsync(width, height);
            var page = await context.NewPageAsync();
            await page.OpenAsync(path);
            // Let the live panels fill in (charts measure their width on the client) before the picture is taken.
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = PageReading.ScreenshotPath($"{name}-{viewport}"), FullPage = true });

            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (scrollWidth, innerWidth) = (widths[0], widths[1]);
            Assert.True(scrollWidth <= innerWidth + 1, $"{name} at {viewport} scrolls sideways: scrollWidth {scrollWidth} > innerWidth {innerWidth}");
        }
    }
}
