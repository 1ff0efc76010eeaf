namespace Datastream.BrowserTests;

/// <summary>
/// Where the Chromium of these tests is: Playwright cannot download its own browser offline, so the tests use the
/// distribution's (apt-get install -y chromium) or the one DATASTREAM_CHROMIUM names. Without it they skip, saying
/// how to enable them, except in CI (DATASTREAM_REQUIRE_TOOLS=1) where a missing browser must fail, not pass silently.
/// </summary>
internal static class Chromium
{
    public static string Path { get; } = Environment.GetEnvironmentVariable("DATASTREAM_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static bool Available => File.Exists(Path);

    /// <summary>Skips or fails the calling test when the browser is missing.</summary>
    public static void Require()
    {
        if (Available)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("DATASTREAM_REQUIRE_TOOLS") == "1")
        {
            Assert.Fail($"chromium is required: apt-get install -y chromium (not found at {Path})");
        }

        Assert.Skip($"no Chromium at {Path}: apt-get install -y chromium, or set DATASTREAM_CHROMIUM to a Chromium binary, to run the browser tests");
    }
}
