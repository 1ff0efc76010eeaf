using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// Names a kind of failure so that the many inputs hitting one bug count as one: the broken rule, or the
/// exception's type, message and the Datastream.Core method it came from.
/// </summary>
internal static class FailureSignature
{
    public static string Of(Exception error)
    {
        if (error is PropertyViolation violation)
        {
            return violation.Rule;
        }

        // Quoted values vary between inputs hitting the same bug ("Invalid surrogate value: '0xDC00'").
        string message = Regex.Replace(error.Message.Split('\n')[0].Trim(), "'[^']*'", "'…'");
        return $"{error.GetType().Name}: {message} (in {ThrowingMethod(error)})";
    }

    private static string ThrowingMethod(Exception error)
    {
        foreach (StackFrame frame in new StackTrace(error).GetFrames())
        {
            Type? type = frame.GetMethod()?.DeclaringType;
            if (type?.Namespace is { } ns && ns.StartsWith("Datastream.Core", StringComparison.Ordinal) && !ns.StartsWith("Datastream.Core.Fuzzing", StringComparison.Ordinal))
            {
                return type.Name + "." + frame.GetMethod()!.Name;
            }
        }

        return "?";
    }
}
