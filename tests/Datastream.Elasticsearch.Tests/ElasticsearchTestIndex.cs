namespace Datastream.Elasticsearch.Tests;

/// <summary>An adapter pointed at a fake, with retries fast enough for tests (the rides: Datastream.Index.Testing.RideSamples).</summary>
internal static class ElasticsearchTestIndex
{
    public static ElasticsearchIndexOptions Options(FakeElasticsearch fake) => new()
    {
        Nodes = [fake.Uri],
        MinRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(4),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static ElasticsearchRideIndex Open(FakeElasticsearch fake, Func<ElasticsearchIndexOptions, ElasticsearchIndexOptions>? configure = null) =>
        new((configure ?? (o => o))(Options(fake)));
}
