using Datastream.Pipelines.Lake;

namespace Datastream.Lake.Hosting;

/// <summary>
/// Opens the configured lake. A factory rather than a registered <see cref="IRideLake"/>: the GCS store resolves its
/// credentials asynchronously, and the caller owns (and flushes, by disposing) the lake it opened.
/// </summary>
public sealed class RideLakeOpener(LakeStorage storage, string localRoot, LakeSettings settings)
{
    public LakeStorage Storage => storage;

    /// <param name="cancellationToken">Stops opening (GCS credentials).</param>
    /// <param name="firstRollInterval">When the first files should roll if sooner than Lake:RollSeconds (see <see cref="LakeOptions.FirstRollInterval"/>).</param>
    public async Task<IRideLake> OpenAsync(CancellationToken cancellationToken, TimeSpan? firstRollInterval = null)
    {
        ILakeStore store = storage == LakeStorage.Gcs
            ? await GcsLakeStore.CreateAsync(settings.Gcs.Bucket!, settings.Gcs.CredentialsFile, settings.Gcs.BaseUri, cancellationToken).ConfigureAwait(false)
            : new LocalDirectoryLakeStore(localRoot);
        return new ParquetRideLake(store, settings.ToOptions() with { FirstRollInterval = firstRollInterval });
    }
}
