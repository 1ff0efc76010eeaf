namespace Datastream.IntegrationTests.Hostile;

/// <summary>The error.kind wire names of SPEC §3.5, spelled once for the corpus.</summary>
public static class DeadLetterKinds
{
    public const string InvalidJson = "invalid_json";
    public const string Encoding = "encoding";
    public const string TooLarge = "too_large";
    public const string Schema = "schema";
    public const string Internal = "internal";
}
