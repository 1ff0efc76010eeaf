namespace Datastream.Pipelines;

/// <summary>The stages <see cref="StageTimes"/> names, as the run summary reports them.</summary>
public static class PipelineStages
{
    /// <summary>Reading a batch from the log (ConsumeKafka).</summary>
    public const string Poll = "poll";

    /// <summary>compute-cost: parse, validate, price and write each result and dead letter (ComputeCostTravel).</summary>
    public const string Transform = "transform";

    /// <summary>index-and-export: rides_result records into flat rides (TransformJSON).</summary>
    public const string Flatten = "flatten";

    /// <summary>index-and-export: the index upsert (PutElasticSearch), timed on the thread that writes.</summary>
    public const string Index = "index";

    /// <summary>index-and-export: the loop waiting for the index writes in flight (the index writes in the background).</summary>
    public const string IndexWait = "index_wait";

    /// <summary>index-and-export: rows into the lake's column buffers.</summary>
    public const string LakeBuffer = "lake_buffer";

    /// <summary>index-and-export: full row groups encoded ahead of the roll (PutGCP).</summary>
    public const string LakeEncode = "lake_encode";

    /// <summary>index-and-export: the last row groups encoded and the staged files written (PutGCP).</summary>
    public const string LakeStage = "lake_stage";

    /// <summary>The log's unit of work: results or dead letters appended, offsets committed.</summary>
    public const string Commit = "commit";

    /// <summary>index-and-export: staged lake files moved to their final keys.</summary>
    public const string LakePublish = "lake_publish";
}
