namespace Datastream.BrowserTests;

/// <summary>
/// A `datastream run` listening on every interface, so pause/resume need the admin token (SPEC §7). Slow and small:
/// these tests look at access, not throughput. The browser still reaches it through loopback.
/// </summary>
public sealed class RunningDatastreamBeyondLoopback()
    : RunningDatastream(["--rate", "50", "--urls", "http://0.0.0.0:0"], new Dictionary<string, string> { ["DATASTREAM_ADMIN_TOKEN"] = AdminToken })
{
    public const string AdminToken = "browser-test-token";
}
