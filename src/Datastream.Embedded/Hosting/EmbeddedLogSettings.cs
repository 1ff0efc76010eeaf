using System.Globalization;
using Microsoft.Extensions.Options;

namespace Datastream.Embedded.Hosting;

/// <summary>The embedded log's configuration keys (section Log): what the host may set of <see cref="EmbeddedLogOptions"/>.</summary>
public sealed class EmbeddedLogSettings
{
    /// <summary>Log:LeaseSeconds: how long a consumer that stopped polling keeps its partitions (a crashed member's too).</summary>
    public double LeaseSeconds { get; set; } = 10;

    /// <summary>Log:MaxRecordBytes: the largest record (key + value bytes) the log appends; Kafka's default message size less framing.</summary>
    public int MaxRecordBytes { get; set; } = EmbeddedLogOptions.DefaultMaxRecordBytes;

    /// <summary>Bounds of Log:MaxRecordBytes: room for any ride, and no more than one batch row should hold.</summary>
    public const int MinMaxRecordBytes = 4096;

    public const int MaxMaxRecordBytes = 256 * 1024 * 1024;

    /// <summary>Log:Compression: none, lz4 or zstd, the codec of record batches appended from now on.</summary>
    public LogCompression Compression { get; set; } = EmbeddedLogOptions.DefaultCompression;

    public EmbeddedLogOptions ToOptions(string dataDirectory)
    {
        var lease = TimeSpan.FromSeconds(LeaseSeconds);
        return new EmbeddedLogOptions(dataDirectory)
        {
            LeaseDuration = lease,
            MaxRecordBytes = MaxRecordBytes,
            Compression = Compression,
            // Renew well within the lease so a busy member never loses it between polls.
            LeaseRenewInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, lease.Ticks / 4)),
        };
    }

    /// <summary>Names the key of a value the log cannot work with.</summary>
    internal sealed class Validator(string section) : IValidateOptions<EmbeddedLogSettings>
    {
        public ValidateOptionsResult Validate(string? name, EmbeddedLogSettings settings)
        {
            var failures = new List<string>();
            if (!double.IsFinite(settings.LeaseSeconds) || settings.LeaseSeconds < 0.5)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:LeaseSeconds: '{settings.LeaseSeconds}' is not a number ≥ 0.5"));
            }

            if (settings.MaxRecordBytes is < MinMaxRecordBytes or > MaxMaxRecordBytes)
            {
                failures.Add($"{section}:MaxRecordBytes: '{settings.MaxRecordBytes}' is not a whole number between {MinMaxRecordBytes} and {MaxMaxRecordBytes}");
            }

            if (!Enum.IsDefined(settings.Compression))
            {
                failures.Add($"{section}:Compression: '{(int)settings.Compression}' is not none, lz4 or zstd");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
