using Datastream.Core.Rides;
using Datastream.Embedded.Index;
using Datastream.Index.Testing;

namespace Datastream.Embedded.Tests.Index;

/// <summary>The contract of the index port, on a SQLite index in a directory of each test's own.</summary>
public sealed class EmbeddedRideIndexContractTests : RideIndexContract<SqliteRideIndex>, IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    protected override string ExpectedEngine => "embedded";

    protected override Task<SqliteRideIndex> OpenAsync() => Task.FromResult(new SqliteRideIndex(new EmbeddedIndexOptions(_dir.Path)));

    /// <summary>Equal ts: by arrival (rowid), the last written first.</summary>
    protected override IEnumerable<FlatRide> InSearchOrder(IReadOnlyList<FlatRide> writtenInOneCall) =>
        writtenInOneCall.Select((ride, arrival) => (ride, arrival))
            .OrderByDescending(r => r.ride.TsUtc).ThenByDescending(r => r.arrival)
            .Select(r => r.ride);

    public void Dispose() => _dir.Dispose();
}
