using Datastream.Core.Pricing;
using Datastream.Core.Rides;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;

namespace Datastream.Configuration;

/// <summary>
/// The host's own configuration keys (SPEC §6), bound from the root: the data directory, the topics, the pipelines,
/// tariffs, limits and dead letters. Each engine's keys are declared in its adapter's Hosting/ folder.
/// </summary>
public sealed class DatastreamOptions
{
    /// <summary>DataDir (DATASTREAM_DATA_DIR, --data-dir): where the embedded engines and the local lake keep their files.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>DATASTREAM_LOG_FORMAT=json: one JSON object per log line on stderr.</summary>
    public string? LogFormat { get; set; }

    /// <summary>
    /// Host names the web app answers (ASP.NET's AllowedHosts, ';'-separated). Unset: the loopback names when it listens
    /// on loopback only (a DNS-rebinding page reaches 127.0.0.1 under its own name and is refused), any beyond it.
    /// </summary>
    public string? AllowedHosts { get; set; }

    public TopicsOptions Topics { get; set; } = new();

    public TopicCreationOptions Log { get; set; } = new();

    public PipelineOptions ComputeCost { get; set; } = new() { Group = "compute-cost", BatchSize = 5000 };

    // Larger than compute-cost's: the index's cost per transaction (commit, checkpoint) dominates at 5,000.
    public PipelineOptions IndexAndExport { get; set; } = new() { Group = "index-and-export", BatchSize = 10_000 };

    public TariffsOptions Tariffs { get; set; } = new();

    public LimitsOptions Limits { get; set; } = new();

    public DeadLettersOptions DeadLetters { get; set; } = new();

    public string FullDataDir => Path.GetFullPath(DataDir.Length > 0 ? DataDir : "data");

    /// <summary>The local lake's root (SPEC §6): &lt;data-dir&gt;/lake.</summary>
    public string LakeRoot => Path.Combine(FullDataDir, "lake");

    public bool JsonLogs => string.Equals(LogFormat, "json", StringComparison.OrdinalIgnoreCase);

    public TopicNames TopicNames => new(Topics.Raw, Topics.Result, Topics.Dlq);

    /// <summary>Compute-cost's settings; <paramref name="limits"/> is the one RideLimits both pipelines share.</summary>
    public ComputeCostSettings ComputeCostSettings(RideLimits limits) => new()
    {
        Topics = TopicNames,
        Group = ComputeCost.Group,
        BatchSize = ComputeCost.BatchSize,
        MaxBatchBytes = ComputeCost.MaxBatchBytes,
        PollWait = ComputeCost.PollWait,
        MinRetryDelay = ComputeCost.MinRetryDelay,
        MaxRetryDelay = ComputeCost.MaxRetryDelay,
        Transform = new ComputeCostOptions { MaxMessageBytes = ComputeCost.MaxMessageBytes, Limits = limits },
        DeadLetterMaxBytes = DeadLetters.MaxBytes,
    };

    public IndexAndExportSettings IndexAndExportSettings(RideLimits limits)
    {
        var settings = new IndexAndExportSettings
        {
            Topics = TopicNames,
            Group = IndexAndExport.Group,
            BatchSize = IndexAndExport.BatchSize,
            MaxBatchBytes = IndexAndExport.MaxBatchBytes,
            PollWait = IndexAndExport.PollWait,
            MinRetryDelay = IndexAndExport.MinRetryDelay,
            MaxRetryDelay = IndexAndExport.MaxRetryDelay,
            Limits = limits,
            DeadLetterMaxBytes = DeadLetters.MaxBytes,
        };
        // Unset, the settings' own default applies (one batch): the one place that default is written.
        return IndexAndExport.MaxUnindexedRides is { } maxUnindexed ? settings with { MaxUnindexedRides = maxUnindexed } : settings;
    }

    public TariffTable TariffTable => new(Tariffs.Low.ToTariff(), Tariffs.Medium.ToTariff(), Tariffs.High.ToTariff());
}
