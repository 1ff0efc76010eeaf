using System.Text.Json;
using Datastream.Elasticsearch.Tests;

namespace Datastream.IntegrationTests;

/// <summary>
/// Issue 13's acceptance: replaying sink_rejected dead letters to rides_result, and a backfill followed by the live
/// group, write rides into the lake a second time; revenue must not change for the rides already counted (the
/// warehouse keeps one row per ride_id). Embedded log, local lake, Elasticsearch played by a fake that refuses
/// some rides for good until "fixed".
/// </summary>
public sealed class RevenueAfterReplayAndBackfillTests
{
    [Fact]
    public async Task ReplayOfSinkRejected_ThenBackfillAndLiveGroup_LeaveRevenueOfCountedRidesUnchanged()
    {
        using var dir = new TemporaryDirectory();
        await using var elasticsearch = await FakeElasticsearch.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["DATASTREAM_INDEX"] = "elasticsearch",
            ["ELASTICSEARCH_URL"] = elasticsearch.Uri.ToString(),
        };
        // A mapping error for about one ride in eight, by ride_id, so the same rides are refused on every attempt.
        elasticsearch.RejectItem = id => id[0] is '0' or '1' ? $"failed to parse field [price_total] in document with id '{id}'" : null;

        await Ok(dir, environment, "produce", "--count", "1500", "--seed", "41");
        await Ok(dir, environment, "pipeline", "compute-cost", "--until-idle");
        await Ok(dir, environment, "pipeline", "index-and-export", "--until-idle");
        var counted = Rides(await Ok(dir, environment, "topics", "tail", "rides_result", "--from-beginning"));
        Assert.Equal(1500, counted.Count);
        int refused = counted.Keys.Count(id => id[0] is '0' or '1');
        Assert.InRange(refused, 100, 300);
        var before = Revenue(await Ok(dir, environment, "analytics", "revenue", "--format", "json"));
        AssertRevenueOf(counted.Values, before);
        // Every later query reads this cache of per-file figures: the replay and backfill below must not fool it.
        Assert.True(File.Exists(dir.File("analytics/revenue-cache.duckdb")));

        // The runbook's advice once the index is fixed: send the refused rides back through index-and-export.
        elasticsearch.RejectItem = _ => null;
        string replay = await Ok(dir, environment, "topics", "replay", "rides_dlq", "--to", "rides_result", "--kind", "sink_rejected");
        Assert.Contains($"replayed {refused} dead letters", replay);
        await Ok(dir, environment, "pipeline", "index-and-export", "--until-idle");
        Assert.Equal(1500, elasticsearch.Documents().Count);
        // Today the lake kept the refused rides the first time, so they are there twice now (1500 + refused rows): what
        // the warehouse must absorb. Asserted loosely, as lake writes are being fenced: every ride there, maybe twice.
        var lakeIds = (await LakeReader.ReadAsync(dir.File("lake"))).SelectMany(f => f.RideIds).ToList();
        Assert.Equal(1500, lakeIds.Distinct().Count());
        AssertSameRevenue(before, Revenue(await Ok(dir, environment, "analytics", "revenue", "--format", "json")));

        // New rides arrive; a backfill rebuilds the lake from the beginning, then the live group goes on from its
        // committed offset over the same new records.
        await Ok(dir, environment, "produce", "--count", "400", "--seed", "42");
        await Ok(dir, environment, "pipeline", "compute-cost", "--until-idle");
        var all = Rides(await Ok(dir, environment, "topics", "tail", "rides_result", "--from-beginning"));
        var added = all.Where(r => !counted.ContainsKey(r.Key)).Select(r => r.Value).ToList();
        Assert.Equal(400, added.Count);
        await Ok(dir, environment, "pipeline", "index-and-export", "--from-beginning", "--until-idle");
        await Ok(dir, environment, "pipeline", "index-and-export", "--until-idle");

        var after = Revenue(await Ok(dir, environment, "analytics", "revenue", "--format", "json"));
        AssertRevenueOf(all.Values, after);
        // The rides already counted still count once each, with the same revenue: what the new rides add per comfort
        // is all that changed, and no cluster lost rides.
        foreach (var comfort in after.Keys.Select(k => k.Comfort).Union(before.Keys.Select(k => k.Comfort)).Distinct())
        {
            var newRides = added.Where(r => r.Comfort == comfort).ToList();
            Assert.Equal(Sum(before, comfort).N + newRides.Count, Sum(after, comfort).N);
            Assert.Equal(Sum(before, comfort).Revenue + newRides.Sum(r => r.Price), Sum(after, comfort).Revenue, 1e-6);
        }

        Assert.All(before, b => Assert.True(after.TryGetValue(b.Key, out var a) && a.N >= b.Value.N, $"cluster {b.Key.Cluster} {b.Key.Comfort} lost rides"));
    }

    private sealed record RideRow(string Comfort, double Price);

    /// <summary>rides_result lines by ride_id (a replayed ride is the same record again).</summary>
    private static Dictionary<string, RideRow> Rides(string tail)
    {
        var rides = new Dictionary<string, RideRow>();
        foreach (string line in tail.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var r = JsonDocument.Parse(line).RootElement;
            rides[r.GetProperty("ride_id").GetString()!] = new RideRow(r.GetProperty("comfort").GetString()!, r.GetProperty("price_total").GetDouble());
        }

        return rides;
    }

    private static Dictionary<(int Cluster, string Comfort), (long N, double Revenue)> Revenue(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().ToDictionary(
            r => (r.GetProperty("cluster_id").GetInt32(), r.GetProperty("comfort").GetString()!),
            r => (r.GetProperty("n").GetInt64(), r.GetProperty("revenue").GetDouble()));

    /// <summary>Same rides and revenue per cluster and comfort (revenue up to the order DuckDB summed in).</summary>
    private static void AssertSameRevenue(Dictionary<(int Cluster, string Comfort), (long N, double Revenue)> expected, Dictionary<(int Cluster, string Comfort), (long N, double Revenue)> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value.N, actual[key].N);
            Assert.Equal(value.Revenue, actual[key].Revenue, 1e-6);
        }
    }

    private static (long N, double Revenue) Sum(Dictionary<(int Cluster, string Comfort), (long N, double Revenue)> report, string comfort) =>
        (report.Where(r => r.Key.Comfort == comfort).Sum(r => r.Value.N), report.Where(r => r.Key.Comfort == comfort).Sum(r => r.Value.Revenue));

    /// <summary>The report counts each of these rides once: per comfort, their number and the sum of their prices.</summary>
    private static void AssertRevenueOf(IEnumerable<RideRow> rides, Dictionary<(int Cluster, string Comfort), (long N, double Revenue)> report)
    {
        var expected = rides.GroupBy(r => r.Comfort).ToDictionary(g => g.Key, g => (N: (long)g.Count(), Revenue: g.Sum(r => r.Price)));
        Assert.Equal(expected.Keys.Order(), report.Keys.Select(k => k.Comfort).Distinct().Order());
        foreach (var (comfort, value) in expected)
        {
            Assert.Equal(value.N, Sum(report, comfort).N);
            Assert.Equal(value.Revenue, Sum(report, comfort).Revenue, 1e-3);
        }
    }

    private static async Task<string> Ok(TemporaryDirectory dir, Dictionary<string, string> environment, params string[] args)
    {
        var (code, stdout, stderr) = await DatastreamProcess.RunAsync(dir.Path, args, TimeSpan.FromMinutes(3), environment);
        Assert.True(code == 0, $"datastream {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
