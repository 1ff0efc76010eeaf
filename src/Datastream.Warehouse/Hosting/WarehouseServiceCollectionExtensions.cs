using Datastream.Warehouse.BigQuery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Datastream.Warehouse.Hosting;

/// <summary>Registers SQL over the lake: DuckDB over the local lake, BigQuery over the GCS lake.</summary>
public static class WarehouseServiceCollectionExtensions
{
    /// <summary>
    /// DuckDB over the local lake at <paramref name="lakeRoot"/> as <see cref="IRideWarehouse"/>, its revenue cached per
    /// lake file in <paramref name="revenueCachePath"/> (shared by every process of the data directory).
    /// </summary>
    public static IServiceCollection AddDuckDbWarehouse(this IServiceCollection services, string lakeRoot, Func<IServiceProvider, string> prefix, string revenueCachePath)
    {
        services.AddSingleton<IRideWarehouse>(sp => new DuckDbWarehouse(
            lakeRoot,
            prefix(sp),
            revenueCachePath: revenueCachePath,
            logger: sp.GetService<ILoggerFactory>()?.CreateLogger<DuckDbWarehouse>()));
        return services;
    }

    /// <summary>
    /// BigQuery over the GCS lake as <see cref="BigQueryWarehouse"/> (what `analytics bigquery` uses whatever the
    /// engine), its settings bound from <paramref name="section"/>. The caller adds ValidateOnStart when it is the engine.
    /// </summary>
    public static OptionsBuilder<BigQuerySettings> AddBigQueryWarehouse(this IServiceCollection services, Func<IServiceProvider, ExternalLake> lake, string section = "BigQuery")
    {
        services.AddSingleton<IValidateOptions<BigQuerySettings>>(sp => new BigQuerySettingsValidator(lake(sp)));
        services.AddSingleton(sp => BigQueryWarehouse.Create(BigQuerySettingsValidator.Options(sp.GetRequiredService<IOptions<BigQuerySettings>>().Value, lake(sp))));
        return services.AddOptions<BigQuerySettings>().BindConfiguration(section);
    }
}
