using System.Net.Http.Json;
using System.Text.Json;
using Datastream.IntegrationTests;
using Microsoft.Playwright;

namespace Datastream.BrowserTests;

/// <summary>
/// One `datastream run` (300 rides/s, 5 % invalid, web app on a free loopback port) in a temporary data dir, and one
/// headless Chromium, shared by the tests of a class; each test opens its own browser context. Stopped with SIGTERM
/// at the end, as an orchestrator would.
/// </summary>
public class RunningDatastream : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private readonly TemporaryDirectory _dataDir = new();
    private readonly IReadOnlyList<string> _runArguments;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private DatastreamProcess? _process;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public RunningDatastream()
        : this(["--rate", "300", "--invalid-ratio", "0.05", "--urls", "http://127.0.0.1:0"], null)
    {
    }

    protected RunningDatastream(IReadOnlyList<string> runArguments, IReadOnlyDictionary<string, string>? environment)
    {
        this._runArguments = runArguments;
        this._environment = environment;
    }

    /// <summary>The web app's base address on loopback, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public HttpClient Http { get; } = new();

    public async ValueTask InitializeAsync()
    {
        if (!Chromium.Available)
        {
            // Each test then skips or fails with the reason (Chromium.Require); starting the system would be wasted.
            return;
        }

        _process = DatastreamProcess.Start(_dataDir.Path, ["run", .. _runArguments], _environment);
        BaseAddress = await _process.WebAddressAsync(StartDeadline);
        Http.BaseAddress = BaseAddress;
        await WaitUntilReadyAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium.Path!, Headless = true });
    }

    /// <summary>A fresh browser context (cookies, storage, routes of its own) with the given viewport.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1366, int height = 768)
    {
        Chromium.Require();
        return await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
    }

    /// <summary>GET on /api, parsed.</summary>
    public async Task<JsonElement> ApiAsync(string path)
    {
        Chromium.Require();
        return await Http.GetFromJsonAsync<JsonElement>(path, TestContext.Current.CancellationToken);
    }

    /// <summary>What the process wrote on stderr so far, for failure messages.</summary>
    public string Log => _process?.Stderr ?? "";

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Http.Dispose();
        await BrowserRunTeardown.EndAsync(_browser, _playwright, _process, _dataDir);
    }

    private async Task WaitUntilReadyAsync()
    {
        var until = DateTime.UtcNow + StartDeadline;
        string last = "no answer";
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var response = await Http.GetAsync("readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException error)
            {
                last = error.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/readyz did not answer 200 within {StartDeadline.TotalSeconds:F0} s (last: {last}); stderr: {Log}");
    }

}
