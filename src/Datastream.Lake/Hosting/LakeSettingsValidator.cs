using System.Globalization;
using Microsoft.Extensions.Options;

namespace Datastream.Lake.Hosting;

/// <summary>Checks the lake settings before any file is written, naming the key of a bad value.</summary>
internal sealed class LakeSettingsValidator(LakeStorage storage) : IValidateOptions<LakeSettings>
{
    public ValidateOptionsResult Validate(string? name, LakeSettings settings)
    {
        if (storage == LakeStorage.Gcs && string.IsNullOrEmpty(settings.Gcs.Bucket))
        {
            return ValidateOptionsResult.Fail("GCS_BUCKET (Lake:Gcs:Bucket) is required with DATASTREAM_LAKE=gcs");
        }

        if (!double.IsFinite(settings.RollSeconds) || settings.RollSeconds < 0.01)
        {
            return ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture, $"Lake:RollSeconds: '{settings.RollSeconds}' is not a number ≥ 0.01"));
        }

        if (settings.MaxRowsPerFile is < 1 or > 10_000_000)
        {
            return ValidateOptionsResult.Fail($"Lake:MaxRowsPerFile: '{settings.MaxRowsPerFile}' is not a whole number between 1 and 10000000");
        }

        if (settings.RowGroupRows is < 1 or > 10_000_000)
        {
            return ValidateOptionsResult.Fail($"Lake:RowGroupRows: '{settings.RowGroupRows}' is not a whole number between 1 and 10000000");
        }

        if (!Enum.IsDefined(settings.Compression))
        {
            return ValidateOptionsResult.Fail($"Lake:Compression: '{(int)settings.Compression}' is not snappy or zstd");
        }

        if (settings.MaxBytes < 1)
        {
            return ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture, $"Lake:MaxBytes: '{settings.MaxBytes}' is not a whole number ≥ 1"));
        }

        return ValidateOptionsResult.Success;
    }
}
