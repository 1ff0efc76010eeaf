using Datastream.Pipelines.Index;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Datastream.Elasticsearch.Hosting;

/// <summary>Registers the Elasticsearch index.</summary>
public static class ElasticsearchServiceCollectionExtensions
{
    /// <summary>The Elasticsearch index as <see cref="IRideIndex"/>, its settings bound from <paramref name="section"/> and checked at start.</summary>
    public static OptionsBuilder<ElasticsearchIndexSettings> AddElasticsearchIndex(this IServiceCollection services, string section = "Elasticsearch")
    {
        services.AddSingleton<IValidateOptions<ElasticsearchIndexSettings>, ElasticsearchIndexSettingsValidator>();
        services.AddSingleton(sp => new ElasticsearchRideIndex(sp.GetRequiredService<IOptions<ElasticsearchIndexSettings>>().Value.ToOptions()));
        services.AddSingleton<IRideIndex>(sp => sp.GetRequiredService<ElasticsearchRideIndex>());
        return services.AddOptions<ElasticsearchIndexSettings>().BindConfiguration(section).ValidateOnStart();
    }
}
