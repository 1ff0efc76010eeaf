namespace Datastream.Core.Dlq;

/// <summary>Why a record went to rides_dlq (SPEC §3.5 error.kind).</summary>
public enum RejectionKind : byte
{
    InvalidJson,
    Encoding,
    TooLarge,
    Schema,
    SinkRejected,

    /// <summary>An unexpected exception while handling that one record (its type and message); it never fails the batch.</summary>
    Internal,
}

public static class RejectionKindNames
{
    /// <summary>The wire name used in error.kind and in metric labels.</summary>
    public static string WireName(this RejectionKind kind) => kind switch
    {
        RejectionKind.InvalidJson => "invalid_json",
        RejectionKind.Encoding => "encoding",
        RejectionKind.TooLarge => "too_large",
        RejectionKind.Schema => "schema",
        RejectionKind.SinkRejected => "sink_rejected",
        RejectionKind.Internal => "internal",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown rejection kind"),
    };

    /// <summary>Reads a wire name back (error.kind, --kind).</summary>
    public static bool TryParse(string? name, out RejectionKind kind)
    {
        foreach (var candidate in Enum.GetValues<RejectionKind>())
        {
            if (candidate.WireName() == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
