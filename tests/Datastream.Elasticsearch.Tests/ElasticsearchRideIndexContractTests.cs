using Datastream.Core.Rides;
using Datastream.Index.Testing;

namespace Datastream.Elasticsearch.Tests;

/// <summary>The contract of the index port, on the adapter talking to a fake server of each test's own.</summary>
public sealed class ElasticsearchRideIndexContractTests : RideIndexContract<ElasticsearchRideIndex>, IAsyncDisposable
{
    private FakeElasticsearch? _fake;

    protected override string ExpectedEngine => "elasticsearch";

    protected override async Task<ElasticsearchRideIndex> OpenAsync()
    {
        _fake ??= await FakeElasticsearch.StartAsync();
        return ElasticsearchTestIndex.Open(_fake);
    }

    /// <summary>Equal ts: by ride_id (keyword, so its text), the greatest first.</summary>
    protected override IEnumerable<FlatRide> InSearchOrder(IReadOnlyList<FlatRide> writtenInOneCall) =>
        writtenInOneCall.OrderByDescending(r => r.TsUtc).ThenByDescending(r => r.RideId.ToString("D"), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }
}
