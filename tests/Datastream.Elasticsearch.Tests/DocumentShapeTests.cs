using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Datastream.Core.Rides;

namespace Datastream.Elasticsearch.Tests;

public sealed partial class DocumentShapeTests
{
    [Fact]
    public async Task Documents_are_flat_snake_case_with_geo_point_objects_millisecond_Z_instants_and_doubles()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        var ride = Ride(7) with
        {
            TsUtc = new DateTime(2025, 10, 30, 16, 9, 47, 123, DateTimeKind.Utc),
            AgentTimestampUtc = new DateTime(2025, 10, 30, 16, 9, 48, DateTimeKind.Utc),
            Comfort = Comfort.Medium,
            PriceBase = 2,
            DurationMin = 0,
        };

        Assert.Empty(await index.UpsertAsync([ride], Ct));

        // The strict template mapping of the fake accepted it; now the exact text sent.
        var bulk = fake.Requests.Single(r => r.Path == "/_bulk");
        var lines = Encoding.UTF8.GetString(bulk.Body).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        Assert.Equal("{\"index\":{\"_index\":\"rides\",\"_id\":\"" + ride.RideId + "\"}}", lines[0]);
        using var document = JsonDocument.Parse(lines[1]);
        var root = document.RootElement;
        Assert.Equal(
            ["ride_id", "ts", "comfort", "origin_lat", "origin_lon", "destination_lat", "destination_lon", "duration_min", "price_base",
             "price_per_km", "price_per_min", "distance_km", "price_total", "agent_timestamp", "origin", "destination"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2025-10-30T16:09:47.123Z", root.GetProperty("ts").GetString());
        Assert.Equal("2025-10-30T16:09:48.000Z", root.GetProperty("agent_timestamp").GetString());
        Assert.Equal("medium", root.GetProperty("comfort").GetString());
        Assert.Equal(ride.RideId.ToString("D"), root.GetProperty("ride_id").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("origin").ValueKind);
        Assert.Equal((ride.OriginLat, ride.OriginLon), (root.GetProperty("origin").GetProperty("lat").GetDouble(), root.GetProperty("origin").GetProperty("lon").GetDouble()));
        Assert.Equal((ride.DestinationLat, ride.DestinationLon), (root.GetProperty("destination").GetProperty("lat").GetDouble(), root.GetProperty("destination").GetProperty("lon").GetDouble()));
        // Whole numbers still read as doubles: a dynamically mapped index would otherwise type them long.
        Assert.Contains("\"price_base\":2.0,", lines[1]);
        Assert.Contains("\"duration_min\":0.0,", lines[1]);
        Assert.All(root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number), p => Assert.Matches(DoubleText(), p.Value.GetRawText()));
        Assert.Equal(ride.PriceTotal, root.GetProperty("price_total").GetDouble());
        Assert.True(fake.Documents().ContainsKey(ride.RideId.ToString("D")));
    }

    [Fact]
    public async Task A_replay_overwrites_the_document_of_the_same_ride_id()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        var rides = Rides(0, 10);
        await index.UpsertAsync(rides, Ct);
        var replayed = rides[4] with { PriceTotal = 99.5, AgentTimestampUtc = Start.AddDays(1) };

        await index.UpsertAsync([replayed], Ct);

        Assert.Equal(10, await index.CountAsync(Ct));
        var found = await index.SearchAsync(new Pipelines.Search.RideQuery { RideId = replayed.RideId }, Ct);
        Assert.Equal(replayed, Assert.Single(found.Rides));
    }

    [Fact]
    public async Task The_same_ride_twice_in_one_batch_is_sent_once_with_its_last_version()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        var first = Ride(1);
        var second = first with { PriceTotal = 42.25 };

        await index.UpsertAsync([first, Ride(2), second], Ct);

        Assert.Equal(1, fake.Received[first.RideId.ToString("D")]);
        Assert.Equal(42.25, fake.Documents()[first.RideId.ToString("D")]["price_total"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_ride_JSON_cannot_carry_is_refused_without_being_sent()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake);
        var bad = Ride(1) with { PriceTotal = double.NaN };

        var rejected = await index.UpsertAsync([bad, Ride(2)], Ct);

        var only = Assert.Single(rejected);
        Assert.Equal(bad.RideId, only.RideId);
        Assert.Contains("price_total", only.Reason);
        Assert.False(fake.Received.ContainsKey(bad.RideId.ToString("D")));
        Assert.Single(fake.Documents());
    }

    [GeneratedRegex(@"^-?\d+(\.\d+|(\.\d+)?E[+-]?\d+)$")]
    private static partial Regex DoubleText();
}
