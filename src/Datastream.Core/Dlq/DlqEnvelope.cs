using System.Buffers;

namespace Datastream.Core.Dlq;

/// <summary>Writes the rides_dlq envelope of SPEC §3.5.</summary>
public static class DlqEnvelope
{
    /// <summary>
    /// Writes one envelope as compact UTF-8 JSON. The payload is carried as "payload" text when it is
    /// valid UTF-8, otherwise as "payload_base64".
    /// </summary>
    public static void Write(IBufferWriter<byte> output, string pipeline, in Rejection rejection, in SourceRecordRef source,
        ReadOnlySpan<byte> payload, DateTime failedAtUtc)
        => throw new NotImplementedException("TODO(core helper)");
}
