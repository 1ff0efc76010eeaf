using Datastream.Core.Dlq;

namespace Datastream.Core.Fuzzing;

/// <summary>A rejection gives a reason: a defined kind, a JSON path from the root and a message.</summary>
internal static class RejectionCheck
{
    public static void Verify(Rejection rejection)
    {
        if (!Enum.IsDefined(rejection.Kind))
        {
            throw new PropertyViolation("rejection kind is not defined", rejection.Kind.ToString());
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
