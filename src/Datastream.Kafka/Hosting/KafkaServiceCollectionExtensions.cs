using Datastream.Pipelines.Log;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Datastream.Kafka.Hosting;

/// <summary>Registers the Kafka log (Confluent.Kafka).</summary>
public static class KafkaServiceCollectionExtensions
{
    /// <summary>The Kafka log as <see cref="ILog"/>, its settings bound from <paramref name="section"/> and checked at start.</summary>
    public static OptionsBuilder<KafkaLogSettings> AddKafkaLog(this IServiceCollection services, string section = "Kafka")
    {
        services.AddSingleton<IValidateOptions<KafkaLogSettings>, KafkaLogSettingsValidator>();
        services.AddSingleton<ILog>(sp => new KafkaLog(sp.GetRequiredService<IOptions<KafkaLogSettings>>().Value.ToOptions()));
        return services.AddOptions<KafkaLogSettings>().BindConfiguration(section).ValidateOnStart();
    }
}
