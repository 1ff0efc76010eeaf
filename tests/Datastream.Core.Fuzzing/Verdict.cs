namespace Datastream.Core.Fuzzing;

/// <summary>What a parser did with one input that kept its property.</summary>
public enum Verdict
{
    Accepted,
    Rejected,
}
