namespace Datastream.Core.Dlq;

/// <summary>Why one record was refused: its kind, the JSON path of the offending value ("$" for the whole record) and a reason.</summary>
public readonly record struct Rejection(RejectionKind Kind, string Path, string Message)
{
    public override string ToString() => $"{Kind.WireName()} at {Path}: {Message}";

    /// <summary>An unexpected exception while handling one record: the record is dead-lettered, the batch goes on.</summary>
    public static Rejection Internal(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Rejection(RejectionKind.Internal, "$", $"{error.GetType().FullName}: {error.Message}");
    }
}
