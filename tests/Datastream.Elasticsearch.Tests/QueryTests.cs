using Datastream.Pipelines.Search;

namespace Datastream.Elasticsearch.Tests;

/// <summary>
/// The reads as only Elasticsearch does them; those of the index port every engine shares (filters, paging, latest,
/// count, minute stats) are in <see cref="ElasticsearchRideIndexContractTests"/>.
/// </summary>
public sealed class QueryTests
{
    [Fact]
    public async Task A_page_beyond_the_result_window_is_a_clear_error()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        await index.UpsertAsync(Rides(0, 900), Ct);

        var error = await Assert.ThrowsAsync<ElasticsearchRequestException>(() => index.SearchAsync(new RideQuery { Offset = 9_990, Limit = 50 }, Ct).AsTask());

        Assert.Contains("Result window is too large", error.Message);
    }
}
