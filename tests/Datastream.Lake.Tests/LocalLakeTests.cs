namespace Datastream.Lake.Tests;

/// <summary>The lake contract on a local directory.</summary>
public sealed class LocalLakeTests : LakeContractTests, IDisposable
{
    private readonly TemporaryDirectory _root = new();

    private protected override Task<ILakeStore> OpenStoreAsync() =>
        Task.FromResult<ILakeStore>(new LocalDirectoryLakeStore(_root.Path));

    public void Dispose() => _root.Dispose();
}
