namespace Datastream.Core.Fuzzing;

/// <summary>
/// The property of one parser, checked on one input: returns whether it accepted or rejected, or throws
/// (the parser's own exception, or a <see cref="PropertyViolation"/>). Not thread-safe: one per thread.
/// </summary>
public interface IParserProperty
{
    Verdict Check(byte[] input);
}
