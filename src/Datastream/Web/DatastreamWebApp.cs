using System.Text.Json;
using Datastream.Hosting;
using Datastream.Pipelines.Metrics;
using Datastream.Web.Api;
using Datastream.Web.Components;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Radzen;

namespace Datastream.Web;

/// <summary>
/// The web app of `run` (SPEC §7): Blazor pages, /api, /metrics, /healthz, /readyz, on Kestrel in the same process
/// as the pipelines, so the pages read the pipelines' live state directly. Everything it serves ships in the
/// assembly and its packages: no CDN, it works offline.
/// </summary>
public sealed class DatastreamWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DatastreamWebApp(WebApplication app) => this._app = app;

    /// <summary>The configured host names, else the loopback names on loopback only, else any ("*": the admin token guards state changes).</summary>
    internal static string AllowedHostsFor(IReadOnlyList<string> urls, string? configured) =>
        configured is { Length: > 0 } ? configured
        : urls.All(AdminAccess.IsLoopback) ? "localhost;127.0.0.1;[::1]"
        : "*";

    /// <summary>The addresses Kestrel listens on (with the real port when 0 was asked for).</summary>
    public IReadOnlyList<string> Urls => _app.Urls.ToList();

    /// <summary>
    /// Starts the web app. With a <paramref name="system"/> (`run`): the pages and every /api endpoint; without
    /// (`pipeline ... --urls`): what an orchestrator needs of a single pipeline process — /metrics, /healthz,
    /// /readyz and /api/pipelines with pause/resume.
    /// </summary>
    public static async Task<DatastreamWebApp> StartAsync(IReadOnlyList<PipelineView> pipelines, RunningSystem? system, IReadOnlyList<string> urls, AdminAccess access,
        string? allowedHosts, HostLogging logging, string environmentName, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DatastreamWebApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = environmentName,
        });
        // Static files of the packages (Radzen, the Blazor script) from the build output as well as from a publish.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.UseUrls([.. urls]);
        // The framework's host filtering: on loopback, a page of another site whose name resolves to 127.0.0.1 (DNS
        // rebinding) sends its own Host header, passes the Origin check of a same-origin request, and gets 400 here.
        builder.Configuration["AllowedHosts"] = AllowedHostsFor(urls, allowedHosts);
        logging.Configure(builder.Logging);
        builder.Services.AddSingleton(new PipelineDirectory(pipelines));
        builder.Services.AddSingleton(access);
        builder.Services.AddDatastreamHealthChecks();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        if (system is not null)
        {
            builder.Services.AddSingleton(system);
            builder.Services.AddSingleton<DashboardQueries>();
            builder.Services.AddRazorComponents().AddInteractiveServerComponents();
            builder.Services.AddRadzenComponents();
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("datastream"))
            .WithMetrics(metrics => metrics
            .AddMeter(DatastreamMetrics.MeterName)
            // The SDK's default buckets are milliseconds-shaped (0 to 10,000); ours are seconds.
            .AddView("datastream_batch_duration_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] })
            .AddView("datastream_event_latency_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] })
            // Every scrape sees the counters as they are now (the default caches a response for 300 ms).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));

        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        HealthEndpoints.Map(app);
        PipelinesApi.Map(app);
        if (system is not null)
        {
            app.UseAntiforgery();
            app.MapStaticAssets();
            RidesApi.Map(app);
            DashboardApi.Map(app);
            DeadLettersApi.Map(app);
            app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException error)
        {
            await app.DisposeAsync();
            throw new IOException($"web app: cannot listen on {string.Join(';', urls)}: {error.Message} (choose another address with --urls, or run with --no-web)", error);
        }

        return new DatastreamWebApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
