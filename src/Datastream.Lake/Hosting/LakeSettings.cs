namespace Datastream.Lake.Hosting;

/// <summary>The lake's configuration keys (section Lake; GCS_BUCKET and GCS_PREFIX map onto them).</summary>
public sealed class LakeSettings
{
    /// <summary>Object-name prefix (GCS_PREFIX); a missing trailing '/' is added, a leading one dropped.</summary>
    public string Prefix { get; set; } = "rides/processed/";

    /// <summary>The lake is at most this far behind: buffered rows become files at least this often.</summary>
    public double RollSeconds { get; set; } = 60;

    public int MaxRowsPerFile { get; set; } = 100_000;

    /// <summary>Rows per Parquet row group: encoded as they arrive, so a roll has only the last group left to encode.</summary>
    public int RowGroupRows { get; set; } = LakeOptions.DefaultRowGroupRows;

    /// <summary>Flush once the buffered rows take about this many bytes uncompressed.</summary>
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Lake:Compression: snappy or zstd, the page codec of the Parquet files written from now on.</summary>
    public LakeCompression Compression { get; set; } = LakeOptions.DefaultCompression;

    public GcsSettings Gcs { get; set; } = new();

    /// <summary>The prefix as the lake uses it: empty or ending with '/', never starting with one.</summary>
    public string NormalizedPrefix => (Prefix.Length > 0 && !Prefix.EndsWith('/') ? Prefix + "/" : Prefix).TrimStart('/');

    public LakeOptions ToOptions() => new()
    {
        Prefix = NormalizedPrefix,
        RollInterval = TimeSpan.FromSeconds(RollSeconds),
        MaxRowsPerFile = MaxRowsPerFile,
        RowGroupRows = RowGroupRows,
        MaxBytes = MaxBytes,
        Compression = Compression,
    };
}

/// <summary>Lake:Gcs: where the GCS lake is and how to reach it.</summary>
public sealed class GcsSettings
{
    /// <summary>GCS_BUCKET; required with the GCS lake.</summary>
    public string? Bucket { get; set; }

    /// <summary>A service-account key file (GOOGLE_APPLICATION_CREDENTIALS); otherwise Application Default Credentials.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>A storage emulator's base URI (tests, local development); unauthenticated.</summary>
    public string? BaseUri { get; set; }
}
