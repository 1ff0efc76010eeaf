using Datastream.Cli;
using Datastream.Lake.Hosting;
using Microsoft.Extensions.Configuration;

namespace Datastream.Configuration;

/// <summary>Engines: which adapter serves each port (DATASTREAM_LOG, DATASTREAM_INDEX, DATASTREAM_LAKE, DATASTREAM_WAREHOUSE).</summary>
public sealed record EngineChoice(LogEngine Log, IndexEngine Index, LakeStorage Lake, WarehouseEngine Warehouse)
{
    /// <summary>
    /// Read before anything is registered, since the choice decides what is: an unknown name is a usage error naming
    /// the key and its variable.
    /// </summary>
    public static EngineChoice From(IConfiguration configuration) => new(
        Choice(configuration, "Engines:Log", new() { ["embedded"] = LogEngine.Embedded, ["kafka"] = LogEngine.Kafka }, LogEngine.Embedded),
        Choice(configuration, "Engines:Index", new() { ["embedded"] = IndexEngine.Embedded, ["elasticsearch"] = IndexEngine.Elasticsearch }, IndexEngine.Embedded),
        Choice(configuration, "Engines:Lake", new() { ["local"] = LakeStorage.Local, ["gcs"] = LakeStorage.Gcs }, LakeStorage.Local),
        Choice(configuration, "Engines:Warehouse", new() { ["duckdb"] = WarehouseEngine.DuckDb, ["bigquery"] = WarehouseEngine.BigQuery }, WarehouseEngine.DuckDb));

    private static T Choice<T>(IConfiguration configuration, string key, Dictionary<string, T> choices, T fallback)
    {
        string? value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return choices.TryGetValue(value.Trim().ToLowerInvariant(), out var chosen)
            ? chosen
            : throw new UsageException($"{DatastreamOptionsValidator.Named(key)}: unknown engine '{value}', expected {string.Join(" or ", choices.Keys)}");
    }
}

public enum LogEngine
{
    Embedded,
    Kafka,
}

public enum IndexEngine
{
    Embedded,
    Elasticsearch,
}

public enum WarehouseEngine
{
    DuckDb,
    BigQuery,
}
