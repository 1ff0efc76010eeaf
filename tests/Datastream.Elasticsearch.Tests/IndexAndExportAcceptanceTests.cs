using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datastream.Core.Dlq;
using Datastream.Core.Generation;
using Datastream.Embedded;
using Datastream.Lake;
using Datastream.Outages.Testing;
using Datastream.Pipelines;
using Datastream.Pipelines.ComputeCost;
using Datastream.Pipelines.IndexAndExport;
using Datastream.Pipelines.Log;
using Datastream.Pipelines.Metrics;
using Datastream.Pipelines.Producer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datastream.Elasticsearch.Tests;

/// <summary>
/// Issue 7's acceptance: generated rides through compute-cost then index-and-export on the embedded log, into the
/// Elasticsearch adapter against a fake that refuses ~1 % of the documents with a mapping error and pushes back
/// ~5 % of the bulk requests. Every other ride is indexed, each refused one is in rides_dlq once as sink_rejected
/// with Elasticsearch's error, and nothing is lost.
/// </summary>
public sealed class IndexAndExportAcceptanceTests
{
    private static readonly TopicNames Topics = new();

    [Fact]
    public async Task Every_ride_is_indexed_or_dead_lettered_as_sink_rejected_once_while_the_cluster_refuses_and_pushes_back()
    {
        using var dir = new TemporaryDirectory();
        await using var log = new SqliteLog(new EmbeddedLogOptions(dir.Path));
        var results = await PricedRidesAsync(log, count: 3_000);

        await using var fake = await FakeElasticsearch.StartAsync();
        fake.RejectItem = id => Percent("item", id) < 1 ? $"failed to parse field [price_total] of type [double] in document with id '{id}'" : null;
        fake.BulkRequestFailure = n => Percent("bulk", n.ToString()) < 5 ? 429 : null;
        var refused = results.Where(id => Percent("item", id.ToString("D")) < 1).ToHashSet();
        Assert.InRange(refused.Count, 10, 60);

        await using (var index = Open(fake, o => o with { MaxDocumentsPerBulk = 100 }))
        {
            var lake = new ParquetRideLake(new LocalDirectoryLakeStore(dir.File("lake")), new LakeOptions { MaxRowsPerFile = 1_000 });
            var pipeline = new IndexAndExportPipeline(log, index, lake,
                new IndexAndExportSettings { BatchSize = 250, MinRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(10) },
                new DatastreamMetrics(), NullLogger<IndexAndExportPipeline>.Instance);
            await pipeline.RunAsync(() => true, Ct);
        }

        // The cluster did push back, and the adapter got through it.
        Assert.True(fake.Requests.Count(r => r.Path == "/_bulk") > 30);
        int pushedBack = Enumerable.Range(1, fake.BulkRequests).Count(n => Percent("bulk", n.ToString()) < 5);
        Assert.True(pushedBack > 0, "some bulk requests should have been answered 429");

        // Indexed: exactly the results less the refused ones, each document stored from its own ride.
        var stored = fake.Documents();
        var expectedIndexed = results.Except(refused).Select(id => id.ToString("D")).ToHashSet();
        Assert.Equal(expectedIndexed, stored.Keys.ToHashSet());
        Assert.All(stored, d => Assert.Equal(d.Key, d.Value["ride_id"]!.GetValue<string>()));
        // No lost ride: every result reached the cluster at least once; re-sending an _id only overwrote it.
        var received = fake.Received;
        Assert.All(results, id => Assert.True(received.GetValueOrDefault(id.ToString("D")) >= 1, $"{id} never reached the index"));
        Assert.Equal(results.Select(id => id.ToString("D")).ToHashSet(), received.Keys.ToHashSet());

        // Dead letters: one sink_rejected envelope per refused ride, carrying Elasticsearch's error.
        var letters = (await TopicRecords.ReadAllAsync(log, Topics.Dlq, Ct)).Select(r => DeadLetter.Parse(r.Value)).ToList();
        Assert.All(letters, l => Assert.Equal(RejectionKind.SinkRejected, l.Kind));
        var rejectedIds = letters.Select(l => JsonDocument.Parse(l.Payload).RootElement.GetProperty("ride_id").GetGuid()).ToList();
        Assert.Equal(refused, rejectedIds.ToHashSet());
        Assert.Equal(refused.Count, rejectedIds.Count);
        Assert.All(letters, l => Assert.Contains("mapper_parsing_exception: failed to parse field [price_total] of type [double]", l.Message));
        Assert.All(letters, l => Assert.Equal(IndexAndExportPipeline.Name, l.Pipeline));

        // Nothing lost: result = indexed + sink_rejected.
        Assert.Equal(results.Count, stored.Count + letters.Count);
        Assert.Equal(results.Count - refused.Count, await CountThroughAdapterAsync(fake));
    }

    /// <summary>A deterministic 0–99 of a string: which rides and requests the fake fails does not depend on timing.</summary>
    private static int Percent(string salt, string value) =>
        (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + value)), 0) % 100);

    private static async Task<long> CountThroughAdapterAsync(FakeElasticsearch fake)
    {
        await using var index = Open(fake);
        return await index.CountAsync(Ct);
    }

    /// <summary>Generated rides priced by compute-cost into rides_result; returns their ride ids.</summary>
    private static async Task<HashSet<Guid>> PricedRidesAsync(SqliteLog log, int count)
    {
        foreach (string topic in new[] { Topics.Raw, Topics.Result, Topics.Dlq })
        {
            await log.CreateTopicAsync(new TopicSpec(topic), Ct);
        }

        var random = new Random(11);
        var generator = new RideGenerator(random, new NewYorkPickups(random), new RideGeneratorOptions());
        await new RideProducer(log, Topics.Raw, NullLogger<RideProducer>.Instance)
            .RunAsync(new GeneratedRideSource(generator), new ProduceLimits(count, null, 0), Ct);
        await new ComputeCostPipeline(log, new ComputeCostSettings { BatchSize = 500 }, new DatastreamMetrics(), NullLogger<ComputeCostPipeline>.Instance)
            .RunAsync(() => true, Ct);
        var results = (await TopicRecords.ReadAllAsync(log, Topics.Result, Ct)).Select(r => JsonDocument.Parse(r.Value).RootElement.GetProperty("ride_id").GetGuid()).ToHashSet();
        Assert.Equal(count, results.Count);
        Assert.Empty(await TopicRecords.ReadAllAsync(log, Topics.Dlq, Ct));
        return results;
    }
}
