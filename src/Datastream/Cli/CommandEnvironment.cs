using System.CommandLine;
using Datastream.Configuration;
using Datastream.Core.Pricing;
using Datastream.Hosting;
using Datastream.Lake.Hosting;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Lake;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Search;
using Datastream.Warehouse;
using Datastream.Warehouse.BigQuery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Datastream.Cli;

/// <summary>
/// What a command needs from the host: the started Generic Host (its configuration checked, its engines registered),
/// logging, and the shutdown token. Disposing it disposes the engines the command used.
/// </summary>
public sealed class CommandEnvironment : IAsyncDisposable
{
    private readonly IHost _host;

    private CommandEnvironment(IHost host, CancellationToken stop)
    {
        this._host = host;
        Stop = stop;
        Options = Resolve<IOptions<DatastreamOptions>>().Value;
        Logging = Resolve<HostLogging>();
        Loggers = Resolve<ILoggerFactory>();
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The host's validated keys (SPEC §6).</summary>
    public DatastreamOptions Options { get; }

    public EngineChoice Engines => Resolve<EngineChoice>();

    public HostLogging Logging { get; }

    public ILoggerFactory Loggers { get; }

    /// <summary>The least severe level logged (--verbose: Debug).</summary>
    public LogLevel Level => Logging.Level;

    /// <summary>DATASTREAM_ENVIRONMENT (or DOTNET_ENVIRONMENT), default Production.</summary>
    public string EnvironmentName => Resolve<IHostEnvironment>().EnvironmentName;

    /// <summary>Cancelled by Ctrl-C / SIGTERM.</summary>
    public CancellationToken Stop { get; }

    public string DataDir => Options.FullDataDir;

    public TopicNames Topics => Options.TopicNames;

    public TariffTable Tariffs => Options.TariffTable;

    public ComputeCostSettings ComputeCost => Resolve<ComputeCostSettings>();

    public IndexAndExportSettings IndexAndExport => Resolve<IndexAndExportSettings>();

    public TopicProvisioning TopicProvisioning => Resolve<TopicProvisioning>();

    /// <summary>The configured log (DATASTREAM_LOG); the host owns it.</summary>
    public ILog Log => Resolve<ILog>();

    /// <summary>The configured index (DATASTREAM_INDEX) as index-and-export writes to it; the host owns it.</summary>
    public IRideIndexWriter IndexWriter => Resolve<IRideIndexWriter>();

    /// <summary>The same index as the web app searches it.</summary>
    public IRideSearch Search => Resolve<IRideSearch>();

    /// <summary>SQL over the lake: DuckDB reads the local lake directly; BigQuery reads the GCS lake through its external table.</summary>
    public IRideWarehouse Warehouse => RevenueWarehouse
        ?? throw new UsageException("the DuckDB warehouse reads the local lake; with DATASTREAM_LAKE=gcs set DATASTREAM_WAREHOUSE=bigquery");

    /// <summary>
    /// The warehouse a long-running process refreshes revenue from, or null where there is none to ask (a GCS lake
    /// with the DuckDB default: DuckDB reads only a local lake); revenue is then simply not shown.
    /// </summary>
    public IRideWarehouse? RevenueWarehouse => Resolve(sp => sp.GetService<IRideWarehouse>());

    /// <summary>BigQuery over the GCS lake, whichever warehouse is configured (`analytics bigquery`).</summary>
    public BigQueryWarehouse BigQuery => Resolve<BigQueryWarehouse>();

    /// <summary>Builds and starts the host; a bad setting is a <see cref="UsageException"/> naming its key.</summary>
    public static async Task<CommandEnvironment> StartAsync(ParseResult parse, CancellationToken stop)
    {
        var level = parse.GetValue(GlobalOptions.Verbose) ? LogLevel.Debug : LogLevel.Information;
        var host = DatastreamHost.BuildChecked(parse.GetValue(GlobalOptions.Config), parse.GetValue(GlobalOptions.DataDir), ProcessEnvironment.Variables(), level);
        await host.StartAsync(CancellationToken.None);
        return new CommandEnvironment(host, stop);
    }

    /// <summary>The configured lake, opened; the caller disposes it (which writes what it still buffers).</summary>
    /// <param name="firstRollInterval">An earlier first roll than Lake:RollSeconds (`run`: revenue within seconds).</param>
    public Task<IRideLake> OpenLakeAsync(TimeSpan? firstRollInterval = null) => Resolve<RideLakeOpener>().OpenAsync(Stop, firstRollInterval);

    public Task EnsureTopicsAsync(ILog log) => TopicProvisioning.EnsureTopicsAsync(log, Stop);

    public ILogger<T> Logger<T>() => Loggers.CreateLogger<T>();

    /// <summary>Completes (without throwing) once Ctrl-C or SIGTERM asked the command to stop.</summary>
    public Task UntilStoppedAsync() => Task.Delay(Timeout.Infinite, Stop).ContinueWith(_ => { }, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        if (_host is IAsyncDisposable asynchronous)
        {
            await asynchronous.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }

    private T Resolve<T>()
        where T : notnull => Resolve(sp => sp.GetRequiredService<T>());

    /// <summary>Options of an engine chosen by no ValidateOnStart (BigQuery for `analytics bigquery`) are checked here, on first use.</summary>
    private T Resolve<T>(Func<IServiceProvider, T> resolve)
    {
        try
        {
            return resolve(_host.Services);
        }
        catch (Exception error) when (ConfigurationError.From(error) is { } usage)
        {
            throw usage;
        }
    }
}
