using Datastream.Cli;
using Datastream.Configuration;
using Datastream.Elasticsearch;
using Datastream.Embedded;
using Datastream.Embedded.Index;
using Datastream.Lake;
using Datastream.Warehouse;
using Datastream.Warehouse.BigQuery;
using Datastream.Pipelines.Lake;
using Datastream.Kafka;
using Datastream.Pipelines.Log;

namespace Datastream.Hosting;

/// <summary>The one place that knows every adapter: turns configuration into engines (SPEC §2).</summary>
public static class Engines
{
    public static ILog OpenLog(DatastreamSettings settings) => settings.LogEngine switch
    {
        LogEngine.Embedded => new SqliteLog(new EmbeddedLogOptions(settings.DataDir)
        {
            LeaseDuration = settings.LeaseDuration,
            // Renew well within the lease so a busy member never loses it between polls.
            LeaseRenewInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, settings.LeaseDuration.Ticks / 4)),
        }),
        LogEngine.Kafka => new KafkaLog(settings.Kafka ?? throw new UsageException("DATASTREAM_LOG=kafka needs KAFKA_BOOTSTRAP_SERVERS")),
        _ => throw new UsageException($"unknown log engine {settings.LogEngine}"),
    };

    public static OpenedIndex OpenIndex(DatastreamSettings settings) => settings.IndexEngine switch
    {
        IndexEngine.Embedded => OpenedIndex.Of(new SqliteRideIndex(new EmbeddedIndexOptions(settings.DataDir))),
        IndexEngine.Elasticsearch => OpenedIndex.Of(new ElasticsearchRideIndex(settings.Elasticsearch ?? throw new UsageException("DATASTREAM_INDEX=elasticsearch needs ELASTICSEARCH_URL"))),
        _ => throw new UsageException($"unknown index engine {settings.IndexEngine}"),
    };

    public static async Task<IRideLake> OpenLakeAsync(DatastreamSettings settings, CancellationToken cancellationToken)
    {
        ILakeStore store = settings.LakeEngine switch
        {
            LakeEngine.Local => new LocalDirectoryLakeStore(settings.LakeRoot),
            LakeEngine.Gcs => await GcsLakeStore.CreateAsync(settings.GcsBucket!, settings.GcsCredentialsFile, settings.GcsBaseUri, cancellationToken),
            _ => throw new UsageException($"unknown lake engine {settings.LakeEngine}"),
        };
        return new ParquetRideLake(store, new LakeOptions
        {
            Prefix = settings.LakePrefix,
            RollInterval = settings.LakeRollInterval,
            MaxRowsPerFile = settings.LakeMaxRowsPerFile,
        });
    }

    /// <summary>SQL over the lake: DuckDB reads the local lake directly; BigQuery reads the GCS lake through its external table.</summary>
    public static IRideWarehouse OpenWarehouse(DatastreamSettings settings) => settings.WarehouseEngine switch
    {
        WarehouseEngine.BigQuery => OpenBigQuery(settings),
        _ when settings.LakeEngine == LakeEngine.Local => new DuckDbWarehouse(settings.LakeRoot, settings.LakePrefix),
        _ => throw new UsageException("the DuckDB warehouse reads the local lake; with DATASTREAM_LAKE=gcs set DATASTREAM_WAREHOUSE=bigquery"),
    };

    /// <summary>
    /// The warehouse a long-running process refreshes revenue from, or null where there is none to ask (a GCS lake
    /// with the DuckDB default: DuckDB reads only a local lake); revenue is then simply not shown.
    /// </summary>
    public static IRideWarehouse? OpenRevenueWarehouse(DatastreamSettings settings) =>
        settings.LakeEngine == LakeEngine.Local || settings.WarehouseEngine == WarehouseEngine.BigQuery ? OpenWarehouse(settings) : null;

    public static BigQueryWarehouse OpenBigQuery(DatastreamSettings settings)
    {
        if (settings.BigQueryProject is null || settings.GcsBucket is null)
        {
            throw new UsageException("BigQuery needs BIGQUERY_PROJECT and GCS_BUCKET");
        }

        var options = new BigQueryOptions(settings.BigQueryProject, settings.GcsBucket, settings.LakePrefix, settings.BigQueryLocation,
            settings.BigQueryBaseUri is null ? null : new Uri(settings.BigQueryBaseUri), settings.GcsCredentialsFile);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"BigQuery: {e.Message}");
        }

        return BigQueryWarehouse.Create(options);
    }

    /// <summary>Creates rides_raw, rides_result and rides_dlq when missing, as Kafka's auto-create would.</summary>
    public static async Task EnsureTopicsAsync(ILog log, DatastreamSettings settings, CancellationToken cancellationToken)
    {
        foreach (string topic in new[] { settings.Topics.Raw, settings.Topics.Result, settings.Topics.Dlq })
        {
            await log.CreateTopicAsync(TopicSpecFor(settings, topic), cancellationToken);
        }
    }

    public static TopicSpec TopicSpecFor(DatastreamSettings settings, string topic, int? partitions = null) =>
        new(topic, partitions ?? settings.Partitions, settings.ReplicationFactor)
        {
            RetentionAge = settings.RetentionAge,
            RetentionBytes = settings.RetentionBytes,
        };
}
