using System.Net;
using Google;
using Google.Apis.Services;
using Google.Apis.Storage.v1;
using Google.Cloud.Storage.V1;

namespace Datastream.Lake.Tests;

/// <summary>GcsLakeStore and the Google client against the fake JSON API: the calls made, pagination, chunks, 404s.</summary>
public sealed class GcsLakeStoreTests : IAsyncLifetime
{
    private readonly FakeGcsServer _server = new("lake-bucket", pageSize: 3);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Write_is_one_resumable_upload_and_the_object_appears_whole()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await GcsLakeStore.CreateAsync(_server.Bucket, baseUri: _server.JsonApiBase, cancellationToken: cancel);
        var content = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();

        await store.WriteAsync("rides/processed/a b/part-0-1.parquet", (s, ct) => s.WriteAsync(content, ct), cancel);

        Assert.Equal(content, _server.Content("rides/processed/a b/part-0-1.parquet"));
        Assert.Equal(0, _server.PendingUploads);
        var requests = _server.Requests.ToArray();
        Assert.StartsWith("POST /upload/storage/v1/b/lake-bucket/o?uploadType=resumable", requests[0], StringComparison.Ordinal);
        Assert.StartsWith("PUT /upload/storage/v1/b/lake-bucket/o?uploadType=resumable&upload_id=", requests[1], StringComparison.Ordinal);
        Assert.Equal(2, requests.Length);
        Assert.Equal(0, _server.GzipBodies);
        Assert.Equal("gs://lake-bucket", store.Location);
    }

    [Fact]
    public async Task Listing_follows_every_page()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await GcsLakeStore.CreateAsync(_server.Bucket, baseUri: _server.JsonApiBase, cancellationToken: cancel);
        var names = Enumerable.Range(0, 10).Select(i => $"p/x/{i:D2}").Append("q/outside").ToArray();
        foreach (var name in names)
        {
            await store.WriteAsync(name, (s, ct) => s.WriteAsync(new byte[] { 1 }, ct), cancel);
        }

        var listed = new List<string>();
        await foreach (var key in store.ListAsync("p/", cancel))
        {
            listed.Add(key);
        }

        Assert.Equal(names[..10], listed);
        var listCalls = _server.Requests.Where(r => r.StartsWith("GET /storage/v1/b/lake-bucket/o?", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, listCalls.Length);
        Assert.Equal(3, listCalls.Count(r => r.Contains("pageToken=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_large_object_goes_up_in_chunks_and_comes_back_equal()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = await new StorageClientBuilder { BaseUri = _server.JsonApiBase, UnauthenticatedAccess = true }.BuildAsync(cancel);
        var content = new byte[UploadObjectOptions.MinimumChunkSize * 2 + 12345];
        new Random(3).NextBytes(content);

        await client.UploadObjectAsync(_server.Bucket, "big", "application/octet-stream", new MemoryStream(content),
            new UploadObjectOptions { ChunkSize = UploadObjectOptions.MinimumChunkSize }, cancel);
        await using var store = new GcsLakeStore(client, _server.Bucket);
        await using var read = await store.OpenReadAsync("big", cancel);

        Assert.Equal(content, ((MemoryStream)read).ToArray());
        Assert.Equal(3, _server.Requests.Count(r => r.StartsWith("PUT /upload/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Missing_objects_are_404s_that_the_store_handles()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await GcsLakeStore.CreateAsync(_server.Bucket, baseUri: _server.JsonApiBase, cancellationToken: cancel);
        using var client = await new StorageClientBuilder { BaseUri = _server.JsonApiBase, UnauthenticatedAccess = true }.BuildAsync(cancel);

        await Assert.ThrowsAsync<FileNotFoundException>(async () => await store.OpenReadAsync("nope", cancel));
        await store.DeleteAsync("nope", cancel);
        var metadata = await Assert.ThrowsAsync<GoogleApiException>(() => client.GetObjectAsync(_server.Bucket, "nope", cancellationToken: cancel));
        Assert.Equal(HttpStatusCode.NotFound, metadata.HttpStatusCode);
        var bucket = await Assert.ThrowsAsync<GoogleApiException>(() => client.GetObjectAsync("other-bucket", "x", cancellationToken: cancel));
        Assert.Equal(HttpStatusCode.NotFound, bucket.HttpStatusCode);
    }

    [Fact]
    public async Task Delete_removes_the_object_and_metadata_has_the_api_shape()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await GcsLakeStore.CreateAsync(_server.Bucket, baseUri: _server.JsonApiBase, cancellationToken: cancel);
        using var client = await new StorageClientBuilder { BaseUri = _server.JsonApiBase, UnauthenticatedAccess = true }.BuildAsync(cancel);
        await store.WriteAsync("k/part-1-2.parquet", (s, ct) => s.WriteAsync(new byte[] { 1, 2, 3 }, ct), cancel);

        var metadata = await client.GetObjectAsync(_server.Bucket, "k/part-1-2.parquet", cancellationToken: cancel);
        Assert.Equal("k/part-1-2.parquet", metadata.Name);
        Assert.Equal(_server.Bucket, metadata.Bucket);
        Assert.Equal(3UL, metadata.Size);
        Assert.Equal("application/vnd.apache.parquet", metadata.ContentType);

        await store.DeleteAsync("k/part-1-2.parquet", cancel);
        Assert.Empty(_server.ObjectNames);
        Assert.Contains("DELETE /storage/v1/b/lake-bucket/o/k%2Fpart-1-2.parquet", _server.Requests);
    }

    [Fact]
    public async Task Uploads_with_gzip_on_still_land_intact()
    {
        // The default client gzips its JSON request bodies; the fake server, like GCS, inflates them.
        var cancel = TestContext.Current.CancellationToken;
        var service = new StorageService(new BaseClientService.Initializer { BaseUri = _server.JsonApiBase, GZipEnabled = true });
        using var client = new StorageClientImpl(service, encryptionKey: null);
        await client.UploadObjectAsync(_server.Bucket, "g", null, new MemoryStream([9, 8, 7]), cancellationToken: cancel);

        Assert.Equal(new byte[] { 9, 8, 7 }, _server.Content("g"));
        Assert.True(_server.GzipBodies > 0);
    }

    [Fact]
    public void Crc32c_matches_the_standard_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
}
