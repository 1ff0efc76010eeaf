namespace Datastream.IntegrationTests.Chaos;

/// <summary>The three topic names of a run (they differ per test on the shared mock cluster).</summary>
public sealed record TopicSet(string Raw, string Result, string Dlq);
