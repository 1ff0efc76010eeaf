namespace Datastream.Lake.Hosting;

/// <summary>Where the lake's Parquet files go (DATASTREAM_LAKE).</summary>
public enum LakeStorage
{
    /// <summary>&lt;data-dir&gt;/lake.</summary>
    Local,

    /// <summary>A Google Cloud Storage bucket.</summary>
    Gcs,
}
