using Datastream.Pipelines.Index;
using Datastream.Pipelines.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Datastream.Elasticsearch.Hosting;

/// <summary>Registers the Elasticsearch index.</summary>
public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>The Elasticsearch index as both its ports (<see cref="IRideIndexWriter"/>, <see cref="IRideSearch"/>), its settings bound from <paramref name="section"/> and checked at start.</summary>
    public static OptionsBuilder<ElasticsearchIndexSettings> AddElasticsearchIndex(this IServiceCollection services, string section = "Elasticsearch")
    {
        services.AddSingleton<IValidateOptions<ElasticsearchIndexSettings>, ElasticsearchIndexSettingsValidator>();
        services.AddSingleton(sp => new ElasticsearchRideIndex(sp.GetRequiredService<IOptions<ElasticsearchIndexSettings>>().Value.ToOptions()));
        services.AddSingleton<IRideIndexWriter>(sp => sp.GetRequiredService<ElasticsearchRideIndex>());
        services.AddSingleton<IRideSearch>(sp => sp.GetRequiredService<ElasticsearchRideIndex>());
        return services.AddOptions<ElasticsearchIndexSettings>().BindConfiguration(section).ValidateOnStart();
    }
}
