using Datastream.Embedded.Index;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Datastream.Embedded.Hosting;

/// <summary>Registers the embedded (SQLite) engines: the log and the index, both files under the data directory.</summary>
public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>The embedded log as <see cref="ILog"/>, its settings bound from <paramref name="section"/> and checked at start.</summary>
    public static IServiceCollection AddEmbeddedLog(this IServiceCollection services, string dataDirectory, string section = "Log")
    {
        services.AddOptions<EmbeddedLogSettings>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmbeddedLogSettings>>(new EmbeddedLogSettings.Validator(section));
        services.AddSingleton<ILog>(sp => new SqliteLog(sp.GetRequiredService<IOptions<EmbeddedLogSettings>>().Value.ToOptions(dataDirectory)));
        return services;
    }

    /// <summary>
    /// The embedded index (&lt;data-dir&gt;/index.db) as both its ports: the pipeline's <see cref="IRideIndexWriter"/> and
    /// the web app's <see cref="IRideSearch"/>; its settings bound from <paramref name="section"/> and checked at start.
    /// </summary>
    public static IServiceCollection AddEmbeddedIndex(this IServiceCollection services, string dataDirectory, string section = "Index")
    {
        services.AddOptions<EmbeddedIndexSettings>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmbeddedIndexSettings>>(new EmbeddedIndexSettings.Validator(section));
        services.AddSingleton(sp => new SqliteRideIndex(sp.GetRequiredService<IOptions<EmbeddedIndexSettings>>().Value.ToOptions(dataDirectory)));
        services.AddSingleton<IRideIndexWriter>(sp => sp.GetRequiredService<SqliteRideIndex>());
        services.AddSingleton<IRideSearch>(sp => sp.GetRequiredService<SqliteRideIndex>());
        return services;
    }
}
