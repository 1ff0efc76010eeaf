namespace Datastream.Tests.Observability;

/// <summary>The Prometheus files as promtool sees them: valid rules, rules that pass their unit tests, a loadable config.</summary>
public sealed class PromtoolTests
{
    [Fact]
    public async Task AlertRulesAreValid() => await AssertPromtoolSucceeds("check", "rules", "deploy/prometheus/alerts.yml");

    /// <summary>alerts_test.yml holds, for every alert, a case where it must fire and look-alikes where it must not.</summary>
    [Fact]
    public async Task AlertRulesPassTheirUnitTests() => await AssertPromtoolSucceeds("test", "rules", "deploy/prometheus/alerts_test.yml");

    /// <summary>Also loads the rule files the config names, so a wrong rule_files path fails here.</summary>
    [Theory]
    [InlineData("deploy/prometheus/prometheus.yml")]
    [InlineData("deploy/prometheus/prometheus-compose.yml")]
    public async Task ScrapeConfigIsValid(string config)
    {
        string output = await AssertPromtoolSucceeds("check", "config", config);

        Assert.Contains("alerts.yml", output);
    }

    [Fact]
    public void MissingPromtoolSkipsByDefault()
    {
        // Caught by hand: xunit's Assert.Throws lets a skip through, which would skip this test instead.
        Exception? skipped = null;
        try
        {
            RequiredTool.Find("promtool", Promtool.InstallHint, null, path: string.Empty, requireTools: null, overridePath: null);
        }
        catch (Xunit.Sdk.SkipException e)
        {
            skipped = e;
        }

        Assert.NotNull(skipped);
        Assert.Contains("apt-get install -y prometheus", skipped.Message);
    }

    /// <summary>CI sets DATASTREAM_REQUIRE_TOOLS=1: there a missing promtool must be a failure, never a green skip.</summary>
    [Fact]
    public void MissingPromtoolFailsWhenToolsAreRequired()
    {
        var failed = Assert.Throws<Xunit.Sdk.FailException>(() => RequiredTool.Find("promtool", Promtool.InstallHint, null, path: string.Empty, requireTools: "1", overridePath: null));

        Assert.Contains("promtool is required", failed.Message);
    }

    internal static async Task<string> AssertPromtoolSucceeds(params string[] arguments)
    {
        var (exitCode, output) = await Promtool.RunAsync(arguments);
        Assert.True(exitCode == 0, $"promtool {string.Join(' ', arguments)} exited {exitCode}:\n{output}");
        return output;
    }
}
