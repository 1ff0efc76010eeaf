namespace Datastream.IntegrationTests.Hostile;

/// <summary>One entry of the hostile-input corpus: what it is, its exact bytes, and what the pipeline must make of it.</summary>
public sealed record HostileRecord(string Name, byte[] Bytes, HostileOutcome Outcome)
{
    public override string ToString() => $"{Name} ({Bytes.Length} bytes) → {Outcome}";
}
