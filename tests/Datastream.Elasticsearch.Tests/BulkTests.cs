using Datastream.Core.Rides;

namespace Datastream.Elasticsearch.Tests;

public sealed class BulkTests
{
    [Fact]
    public async Task Mixed_item_results_return_the_mapping_errors_and_resend_only_the_pushed_back_items()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        var rides = Rides(0, 300);
        var refused = rides.Where((_, i) => i % 10 == 3).Select(r => r.RideId.ToString("D")).ToHashSet();
        var pushedBack = rides.Where((_, i) => i % 7 == 0).Select(r => r.RideId.ToString("D")).ToHashSet();
        fake.RejectItem = id => refused.Contains(id) ? $"failed to parse field [price_total] of type [double] in document with id '{id}'" : null;
        // 429 the first time, 503 the second, stored the third.
        fake.ItemFailure = (id, attempt) => pushedBack.Contains(id) && attempt <= 2 ? (attempt == 1 ? 429 : 503) : null;
        await using var index = Open(fake);

        var rejected = await index.UpsertAsync(rides, Ct);

        Assert.Equal(refused, rejected.Select(r => r.RideId.ToString("D")).ToHashSet());
        Assert.Equal(refused.Count, rejected.Count);
        Assert.All(rejected, r => Assert.StartsWith("mapper_parsing_exception: failed to parse field [price_total] of type [double] in document with id", r.Reason));
        Assert.All(rejected, r => Assert.Contains("(caused by number_format_exception: For input string: \"n/a\")", r.Reason));
        var stored = fake.Documents();
        Assert.Equal(rides.Select(r => r.RideId.ToString("D")).Except(refused).ToHashSet(), stored.Keys.ToHashSet());
        // Each stored once; pushed-back ones received three times, all others once.
        Assert.All(fake.Stored, s => Assert.Equal(1, s.Value));
        Assert.All(fake.Received, r => Assert.Equal(pushedBack.Contains(r.Key) && !refused.Contains(r.Key) ? 3 : 1, r.Value));
        Assert.Equal(3, fake.BulkRequests);
    }

    [Fact]
    public async Task A_burst_of_pushed_back_bulk_requests_is_retried_until_accepted()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        fake.BulkRequestFailure = n => n <= 4 ? 429 : null;
        await using var index = Open(fake);
        var rides = Rides(0, 50);

        Assert.Empty(await index.UpsertAsync(rides, Ct));

        Assert.Equal(5, fake.BulkRequests);
        Assert.Equal(50, fake.Documents().Count);
        Assert.All(fake.Received, r => Assert.Equal(1, r.Value));
    }

    [Fact]
    public async Task A_cluster_that_keeps_failing_makes_the_write_throw_after_the_bounded_attempts()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        fake.BulkRequestFailure = _ => 503;
        await using var index = Open(fake, o => o with { MaxAttempts = 4 });

        var error = await Assert.ThrowsAsync<ElasticsearchUnavailableException>(() => index.UpsertAsync(Rides(0, 20), Ct).AsTask());

        Assert.Equal(4, fake.BulkRequests);
        Assert.Contains("20 of 20 rides", error.Message);
        Assert.Contains("status 503: unavailable_shards_exception", error.Message);
        Assert.Empty(fake.Documents());
    }

    [Fact]
    public async Task Items_pushed_back_through_every_attempt_make_the_write_throw_and_the_retry_completes_it()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        var stubborn = Ride(5).RideId.ToString("D");
        fake.ItemFailure = (id, attempt) => id == stubborn && attempt <= 3 ? 429 : null;
        await using var index = Open(fake, o => o with { MaxAttempts = 3 });
        var rides = Rides(0, 10);

        var error = await Assert.ThrowsAsync<ElasticsearchUnavailableException>(() => index.UpsertAsync(rides, Ct).AsTask());
        Assert.Contains("1 of 10 rides", error.Message);
        Assert.Contains("item status 429: es_rejected_execution_exception", error.Message);
        Assert.Equal(9, fake.Documents().Count);

        // What the pipeline does next: the whole batch again. Overwrites are harmless; the stubborn ride gets in.
        Assert.Empty(await index.UpsertAsync(rides, Ct));
        Assert.Equal(rides.Select(r => r.RideId.ToString("D")).ToHashSet(), fake.Documents().Keys.ToHashSet());
    }

    [Fact]
    public async Task Large_batches_are_split_into_bulk_requests_of_the_configured_size()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using var index = Open(fake, o => o with { MaxDocumentsPerBulk = 400 });
        var rides = Rides(0, 1_000);

        Assert.Empty(await index.UpsertAsync(rides, Ct));

        Assert.Equal(3, fake.BulkRequests);
        Assert.Equal(1_000, fake.Documents().Count);
        Assert.Equal(1_000, await index.CountAsync(Ct));
    }

    [Fact]
    public async Task Request_bodies_are_gzip_compressed_when_turned_on()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        await using (var compressed = Open(fake, o => o with { CompressRequests = true }))
        {
            await compressed.UpsertAsync(Rides(0, 5), Ct);
        }

        await using (var plain = Open(fake))
        {
            await plain.UpsertAsync(Rides(5, 5), Ct);
        }

        var bulks = fake.Requests.Where(r => r.Path == "/_bulk").ToList();
        Assert.Equal([true, false], bulks.Select(b => b.Gzip));
        Assert.Equal(10, fake.Documents().Count);
    }

    [Fact]
    public async Task A_whole_request_refused_for_good_throws_with_the_reason()
    {
        await using var fake = await FakeElasticsearch.StartAsync();
        fake.RequiredAuthorization = "ApiKey right";
        await using var index = Open(fake, o => o with { ApiKey = "wrong" });

        var error = await Assert.ThrowsAsync<ElasticsearchRequestException>(() => index.UpsertAsync([Ride(1) with { Comfort = Comfort.High }], Ct).AsTask());

        Assert.Contains("refused the cluster info (GET /): status 401: security_exception: unable to authenticate user", error.Message);
        // Refused is not pushed back: no second attempt.
        Assert.Single(fake.Requests);
    }
}
