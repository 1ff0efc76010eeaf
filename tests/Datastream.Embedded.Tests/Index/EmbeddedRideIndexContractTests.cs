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

    /// <summary>
    /// Equal ts: by arrival (rowid), the last written first; one call writes its rides in the order it was given them,
    /// so within a call the last one comes first.
    /// </summary>
    protected override IEnumerable<FlatRide> InSearchOrder(IReadOnlyList<FlatRide> writtenInOneCall) =>
        writtenInOneCall.Select((ride, i) => (ride, i)).OrderByDescending(r => r.ride.TsUtc).ThenByDescending(r => r.i).Select(r => r.ride);

    public void Dispose() => _dir.Dispose();
}
