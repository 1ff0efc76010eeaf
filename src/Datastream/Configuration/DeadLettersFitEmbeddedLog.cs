using Datastream.Embedded.Hosting;
using Microsoft.Extensions.Options;

namespace Datastream.Configuration;

/// <summary>
/// DeadLetters:MaxBytes (SPEC §3.5) on the embedded log: a dead letter with its key never above Log:MaxRecordBytes,
/// or the log would refuse it and its batch would be retried forever.
/// </summary>
public sealed class DeadLettersFitEmbeddedLog(IOptions<DatastreamOptions> host) : IValidateOptions<EmbeddedLogSettings>
{
    public ValidateOptionsResult Validate(string? name, EmbeddedLogSettings log)
    {
        int max = host.Value.DeadLetters.MaxBytes;
        int room = log.MaxRecordBytes - Pipelines.DeadLetterKey.MaxBytes;
        return max <= room
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"DeadLetters:MaxBytes: {max} does not fit Log:MaxRecordBytes ({log.MaxRecordBytes}) with a {Pipelines.DeadLetterKey.MaxBytes}-byte key: at most {room}, or raise Log:MaxRecordBytes");
    }
}
