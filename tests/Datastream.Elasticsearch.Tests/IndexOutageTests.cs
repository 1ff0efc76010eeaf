using Datastream.Lake;
using Datastream.Outages.Testing;

namespace Datastream.Elasticsearch.Tests;

/// <summary>
/// Issue 13, build item 5, for the index: index-and-export with the Elasticsearch adapter (against the fake over real
/// HTTP) and a local lake, through a cluster that answers every request 503, then a node that is down (connections
/// refused) and comes back on the same port. Each outage lasts DATASTREAM_OUTAGE_SECONDS (default 1; 60 is the issue's
/// long variant) and at least three failed attempts; see <see cref="SinkOutageScenario"/> for what is checked.
/// </summary>
public sealed class IndexOutageTests
{
    [Fact]
    public async Task After_503s_and_refused_connections_every_ride_and_dead_letter_is_delivered_exactly_once()
    {
        using var dir = new TemporaryDirectory();
        await using var fake = await FakeElasticsearch.StartAsync();
        // The adapter's own attempts stay few and quick: the pipeline's backoff is what is under test.
        await using var index = Open(fake, o => o with { MaxAttempts = 2 });
        string node = fake.Uri.GetLeftPart(UriPartial.Authority);

        var report = await new SinkOutageScenario(dir.Path).RunAsync(index, new LocalDirectoryLakeStore(dir.File("lake")),
            () => Task.FromResult<IReadOnlyCollection<string>>([.. fake.Documents().Keys]),
            new SinkOutage("Elasticsearch answers 503", $"Elasticsearch at {node} is unavailable",
                () => SetAsync(() => fake.AnswerEveryRequest = 503), () => SetAsync(() => fake.AnswerEveryRequest = null)),
            new SinkOutage("Elasticsearch is down", "Connection refused", fake.StopAsync, fake.RestartAsync));

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.Contains("503", report.Reasons[0]);
        Assert.Contains(node, report.Reasons[1]);
    }

    private static Task SetAsync(Action set)
    {
        set();
        return Task.CompletedTask;
    }
}
