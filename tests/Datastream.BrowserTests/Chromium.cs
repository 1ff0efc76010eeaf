namespace Datastream.BrowserTests;

/// <summary>
/// The Chromium of these tests: Playwright cannot download its own browser offline, so the tests use the
/// distribution's (apt-get install -y chromium) or the one DATASTREAM_CHROMIUM names. Without it they skip, saying
/// how to enable them, except in CI (DATASTREAM_REQUIRE_TOOLS=1) where a missing browser fails (RequiredTool).
/// </summary>
internal static class Chromium
{
    private const string Variable = "DATASTREAM_CHROMIUM";

    public static string? Path { get; } = RequiredTool.TryFind("chromium", Variable);

    public static bool Available => Path is not null;

    /// <summary>Skips or fails the calling test when the browser is missing.</summary>
    public static void Require() => RequiredTool.Find("chromium", "apt-get install -y chromium to run the browser tests", Variable);
}
