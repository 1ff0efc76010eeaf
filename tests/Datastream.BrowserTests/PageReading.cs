using System.Globalization;
using Microsoft.Playwright;

namespace Datastream.BrowserTests;

/// <summary>How the tests read the pages: by data-testid, once the page is live (not a static prerender).</summary>
internal static class PageReading
{
    /// <summary>Opens <paramref name="path"/> and waits until the Blazor circuit runs (the layout marks it).</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await Eventually.HoldsAsync($"{path} becomes interactive", async () =>
        {
            string? flag = await page.GetByTestId("app").GetAttributeAsync("data-interactive");
            return (flag == "true", $"data-interactive={flag}");
        });
    }

    public static async Task<long> NumberAsync(this ILocator locator)
    {
        string text = (await locator.InnerTextAsync()).Trim();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new FormatException($"'{text}' is not a whole number");
    }

    /// <summary>Waits until the number shown grows past <paramref name="than"/> and returns it.</summary>
    public static async Task<long> GrowsAsync(this ILocator locator, long than, string what)
    {
        long now = than;
        await Eventually.HoldsAsync($"{what} grows past {than}", async () =>
        {
            now = await locator.NumberAsync();
            return (now > than, now.ToString(CultureInfo.InvariantCulture));
        });
        return now;
    }

    /// <summary>Where screenshots go: artifacts/test-results/screenshots at the repository root (CI keeps artifacts/test-results).</summary>
    public static string ScreenshotPath(string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Datastream.slnx")))
        {
            root = root.Parent;
        }

        string directory = Path.Combine(root?.FullName ?? AppContext.BaseDirectory, "artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name + ".png");
    }
}
