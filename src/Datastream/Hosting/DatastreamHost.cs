using Datastream.Cli;
using Datastream.Configuration;
using Datastream.Core.Rides;
using Datastream.Elasticsearch.Hosting;
using Datastream.Embedded.Hosting;
using Datastream.Kafka;
using Datastream.Kafka.Hosting;
using Datastream.Lake.Hosting;
using Datastream.Warehouse.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Datastream.Hosting;

/// <summary>
/// The Generic Host behind every command: configuration in its layers (SPEC §6), logging, and the one place that
/// chooses an engine per port and registers it (SPEC §2).
/// </summary>
public static class DatastreamHost
{
    public static HostApplicationBuilder CreateBuilder(string? configFile, string? dataDirOption, IReadOnlyDictionary<string, string?> environment, LogLevel level)
    {
        string environmentName = DatastreamConfiguration.EnvironmentName(environment);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // The layers are exactly SPEC §6's: no DOTNET_ variables, no user secrets, no reloading.
            DisableDefaults = true,
            EnvironmentName = environmentName,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        try
        {
            builder.Configuration.AddDatastreamLayers(configFile, dataDirOption, environmentName, environment);
        }
        catch (Exception error) when (ConfigurationError.From(error) is { } usage)
        {
            throw usage;
        }

        // What registration needs before the options are bound; their values are checked with the rest at start.
        var early = new DatastreamOptions { DataDir = builder.Configuration["DataDir"] ?? "data", LogFormat = builder.Configuration["LogFormat"] };
        var logging = new HostLogging(level, early.JsonLogs);
        logging.Configure(builder.Logging);
        builder.Services.AddSingleton(logging);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.AddDatastream(EngineChoice.From(builder.Configuration), early.FullDataDir, environment);
        return builder;
    }

    /// <summary>
    /// The host, built and with every ValidateOnStart check run (before StartAsync rather than inside it, so that a
    /// bad setting is the CLI's one line and not also the host's "failed to start" error log): a bad setting is a
    /// <see cref="UsageException"/> naming its key.
    /// </summary>
    public static IHost BuildChecked(string? configFile, string? dataDirOption, IReadOnlyDictionary<string, string?> environment, LogLevel level)
    {
        var host = CreateBuilder(configFile, dataDirOption, environment, level).Build();
        try
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            return host;
        }
        catch (Exception error) when (ConfigurationError.From(error) is { } usage)
        {
            host.Dispose();
            throw usage;
        }
    }

    /// <summary>The host's own options and each port's engine.</summary>
    public static IServiceCollection AddDatastream(this IServiceCollection services, EngineChoice engines, string dataDir, IReadOnlyDictionary<string, string?> environment)
    {
        services.AddSingleton(engines);
        services.AddOptions<DatastreamOptions>().BindConfiguration("").ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatastreamOptions>, DatastreamOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatastreamOptions>>().Value.Limits.ToRideLimits());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatastreamOptions>>().Value.ComputeCostSettings(sp.GetRequiredService<RideLimits>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatastreamOptions>>().Value.IndexAndExportSettings(sp.GetRequiredService<RideLimits>()));
        services.AddSingleton<TopicProvisioning>();
        var secrets = new EnvironmentSecrets(environment);

        switch (engines.Log)
        {
            case LogEngine.Kafka:
                services.AddKafkaLog().PostConfigure<IOptions<DatastreamOptions>>((kafka, host) =>
                    kafka.UseKnownGroups([host.Value.ComputeCost.Group, host.Value.IndexAndExport.Group]));
                services.AddSingleton<IPostConfigureOptions<KafkaLogSettings>>(secrets);
                services.AddSingleton<IValidateOptions<KafkaLogSettings>, DeadLettersFitKafka>();
                break;
            default:
                services.AddEmbeddedLog(dataDir);
                services.AddSingleton<IValidateOptions<EmbeddedLogSettings>, DeadLettersFitEmbeddedLog>();
                break;
        }

        switch (engines.Index)
        {
            case IndexEngine.Elasticsearch:
                services.AddElasticsearchIndex();
                services.AddSingleton<IPostConfigureOptions<ElasticsearchIndexSettings>>(secrets);
                break;
            default:
                services.AddEmbeddedIndex(dataDir);
                break;
        }

        string lakeRoot = Path.Combine(dataDir, "lake");
        services.AddParquetLake(engines.Lake, lakeRoot);
        string LakePrefix(IServiceProvider sp) => sp.GetRequiredService<IOptions<LakeSettings>>().Value.NormalizedPrefix;
        var bigQuery = services.AddBigQueryWarehouse(sp =>
        {
            var lake = sp.GetRequiredService<IOptions<LakeSettings>>().Value;
            return new ExternalLake(lake.Gcs.Bucket is { Length: > 0 } bucket ? bucket : null, lake.NormalizedPrefix, lake.Gcs.CredentialsFile);
        });
        switch (engines.Warehouse)
        {
            case WarehouseEngine.BigQuery:
                bigQuery.ValidateOnStart();
                services.AddSingleton<Warehouse.IRideWarehouse>(sp => sp.GetRequiredService<Warehouse.BigQuery.BigQueryWarehouse>());
                break;
            case WarehouseEngine.DuckDb when engines.Lake == LakeStorage.Local:
                services.AddDuckDbWarehouse(lakeRoot, LakePrefix, Path.Combine(dataDir, Warehouse.DuckDbWarehouse.RevenueCacheFile));
                break;
            default:
                // DuckDB reads only a local lake: with a GCS lake there is no warehouse to ask until BigQuery is chosen.
                break;
        }

        return services;
    }
}
