using Datastream.Core.Dlq;

namespace Datastream.Core.Fuzzing;

/// <summary>A rejection gives a reason: a defined kind other than internal, a JSON path from the root and a message.</summary>
internal static class RejectionCheck
{
    public static void Verify(Rejection rejection)
    {
        if (!Enum.IsDefined(rejection.Kind))
        {
            throw new PropertyViolation("rejection kind is not defined", rejection.Kind.ToString());
        }

        // Internal is the pipelines' name for an exception they caught: from a parser it would be one hidden.
        if (rejection.Kind == RejectionKind.Internal)
        {
            throw new PropertyViolation("rejected as internal", rejection.ToString());
        }

        if (rejection.Path is null || !rejection.Path.StartsWith('$'))
        {
            throw new PropertyViolation("rejection path does not start with $", rejection.Path ?? "null");
        }

        if (string.IsNullOrWhiteSpace(rejection.Message))
        {
            throw new PropertyViolation("rejection has no message", rejection.Path);
        }
    }
}
