using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Datastream.Lake.Hosting;

/// <summary>Registers the Parquet lake over a local directory or a GCS bucket.</summary>
public static class LakeServiceCollectionExtensions
{
    /// <summary>A <see cref="RideLakeOpener"/> for the lake in <paramref name="storage"/>, its settings bound from <paramref name="section"/> and checked at start.</summary>
    public static OptionsBuilder<LakeSettings> AddParquetLake(this IServiceCollection services, LakeStorage storage, string localRoot, string section = "Lake")
    {
        services.AddSingleton<IValidateOptions<LakeSettings>>(new LakeSettingsValidator(storage));
        services.AddSingleton(sp => new RideLakeOpener(storage, localRoot, sp.GetRequiredService<IOptions<LakeSettings>>().Value));
        return services.AddOptions<LakeSettings>().BindConfiguration(section).ValidateOnStart();
    }
}
