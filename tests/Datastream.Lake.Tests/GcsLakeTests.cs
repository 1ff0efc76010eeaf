namespace Datastream.Lake.Tests;

/// <summary>The lake contract on GcsLakeStore against the fake JSON API, with small list pages.</summary>
public sealed class GcsLakeTests : LakeContractTests, IAsyncLifetime
{
    private readonly FakeGcsServer _server = new("datastream-lake", pageSize: 2);

    private protected override async Task<ILakeStore> OpenStoreAsync() =>
        await GcsLakeStore.CreateAsync(_server.Bucket, baseUri: _server.JsonApiBase);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
