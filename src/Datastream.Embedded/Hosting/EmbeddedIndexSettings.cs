using Datastream.Embedded.Index;
using Microsoft.Extensions.Options;

namespace Datastream.Embedded.Hosting;

/// <summary>The embedded index's configuration keys (section Index): what the host may set of <see cref="EmbeddedIndexOptions"/>.</summary>
public sealed class EmbeddedIndexSettings
{
    /// <summary>
    /// Index:WriterCacheMebibytes: the writing connection's SQLite page cache. The default keeps a 4M-ride run under
    /// 300 MB; 32 MiB ran within noise of it (+1-2 % rides/s) for ~115 MB more resident (docs/performance.md, session
    /// 10): worth raising only where the OS page cache cannot hold the index file.
    /// </summary>
    public int WriterCacheMebibytes { get; set; } = EmbeddedIndexOptions.DefaultWriterCacheMebibytes;

    public const int MaxWriterCacheMebibytes = 64 * 1024;

    public EmbeddedIndexOptions ToOptions(string dataDirectory) =>
        new(dataDirectory) { WriterCacheMebibytes = WriterCacheMebibytes };

    /// <summary>Names the key of a value the index cannot work with.</summary>
    internal sealed class Validator(string section) : IValidateOptions<EmbeddedIndexSettings>
    {
        public ValidateOptionsResult Validate(string? name, EmbeddedIndexSettings settings) =>
            settings.WriterCacheMebibytes is < 1 or > MaxWriterCacheMebibytes
                ? ValidateOptionsResult.Fail(
                    $"{section}:WriterCacheMebibytes: '{settings.WriterCacheMebibytes}' is not a whole number between 1 and {MaxWriterCacheMebibytes}")
                : ValidateOptionsResult.Success;
    }
}
