using Datastream.Core.Pricing;
using Datastream.Elasticsearch;
using Datastream.Kafka;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;

namespace Datastream.Configuration;

/// <summary>Everything the host is configured with (SPEC §6), resolved and validated.</summary>
public sealed record DatastreamSettings
{
    public required string DataDir { get; init; }

    /// <summary>The local lake's root (SPEC §6): &lt;data-dir&gt;/lake.</summary>
    public string LakeRoot => Path.Combine(DataDir, "lake");
    public LogEngine LogEngine { get; init; } = LogEngine.Embedded;
    public TopicNames Topics { get; init; } = new();

    /// <summary>Partitions of each topic when Datastream creates it.</summary>
    public int Partitions { get; init; } = 1;

    public short ReplicationFactor { get; init; } = 1;
    public TimeSpan? RetentionAge { get; init; } = TimeSpan.FromDays(7);
    public long? RetentionBytes { get; init; }
    /// <summary>Embedded log: how long a consumer that stopped polling keeps its partitions (a crashed member's too).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(10);

    public TariffTable Tariffs { get; init; } = TariffTable.Default;
    public ComputeCostSettings ComputeCost { get; init; } = new();
    public IndexEngine IndexEngine { get; init; } = IndexEngine.Embedded;
    public LakeEngine LakeEngine { get; init; } = LakeEngine.Local;

    /// <summary>Object-name prefix inside the lake (GCS_PREFIX), default rides/processed/.</summary>
    public string LakePrefix { get; init; } = "rides/processed/";

    /// <summary>The GCS bucket (GCS_BUCKET) when the lake engine is gcs.</summary>
    public string? GcsBucket { get; init; }

    /// <summary>Service-account key file for GCS; otherwise Application Default Credentials.</summary>
    public string? GcsCredentialsFile { get; init; }

    /// <summary>A storage emulator's base URI (tests, local development); unauthenticated.</summary>
    public string? GcsBaseUri { get; init; }

    /// <summary>The lake is at most this far behind: buffered rows become files at least this often.</summary>
    public TimeSpan LakeRollInterval { get; init; } = TimeSpan.FromSeconds(60);

    public int LakeMaxRowsPerFile { get; init; } = 100_000;

    public IndexAndExportSettings IndexAndExport { get; init; } = new();

    public WarehouseEngine WarehouseEngine { get; init; } = WarehouseEngine.DuckDb;

    /// <summary>BIGQUERY_PROJECT, for DATASTREAM_WAREHOUSE=bigquery.</summary>
    public string? BigQueryProject { get; init; }

    public string BigQueryLocation { get; init; } = "US";

    /// <summary>A BigQuery API root other than Google's (a local test server); unauthenticated when on loopback.</summary>
    public string? BigQueryBaseUri { get; init; }

    /// <summary>Set when the log engine is Kafka.</summary>
    public KafkaLogOptions? Kafka { get; init; }

    /// <summary>Set when the index engine is Elasticsearch.</summary>
    public ElasticsearchIndexOptions? Elasticsearch { get; init; }
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

public enum LakeEngine
{
    Local,
    Gcs,
}

public enum LogEngine
{
    Embedded,
    Kafka,
}
