using System.Text;

namespace Datastream.Core.Fuzzing;

/// <summary>
/// A parser returned instead of throwing, but broke its property (a rejection without a reason, an output that
/// is not strict JSON, ...). <see cref="Rule"/> is the same for every input that breaks it the same way.
/// </summary>
public sealed class PropertyViolation(string rule, string detail) : Exception($"{rule}: {detail}")
{
    public string Rule { get; } = rule;

    /// <summary>A value for a message: its text, cut at 2,000 bytes.</summary>
    internal static string Show(byte[] value) => value.Length <= 2000 ? Encoding.UTF8.GetString(value) : Encoding.UTF8.GetString(value, 0, 2000) + "...";
}
