using System.Net;
using System.Runtime.CompilerServices;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Services;
using Google.Apis.Storage.v1;
using Google.Cloud.Storage.V1;

namespace Datastream.Lake;

/// <summary>
/// The lake in a Google Cloud Storage bucket (DATASTREAM_LAKE=gcs, GCS_BUCKET, GCS_PREFIX). A file is staged in a
/// local temporary file, then sent as one object upload: GCS makes an object visible only once its upload completes,
/// so readers never see a part of it.
/// </summary>
public sealed class GcsLakeStore : ILakeStore
{
    private const string ParquetContentType = "application/vnd.apache.parquet";

    private readonly StorageClient _client;
    private readonly string _bucket;
    private readonly bool _ownsClient;

    /// <param name="client">Used as is and not disposed: the caller owns it.</param>
    public GcsLakeStore(StorageClient client, string bucket)
        : this(client, bucket, ownsClient: false)
    {
    }

    private GcsLakeStore(StorageClient client, string bucket, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        _client = client;
        _bucket = bucket;
        _ownsClient = ownsClient;
    }

    public string Location => $"gs://{_bucket}";

    /// <summary>
    /// A store with its own client. Credentials come from <paramref name="credentialsPath"/> (a service-account key
    /// file) or else from GOOGLE_APPLICATION_CREDENTIALS / application default credentials; with
    /// <paramref name="baseUri"/> (an emulator's JSON API root, e.g. http://127.0.0.1:4443/storage/v1/) no credentials
    /// are used at all.
    /// </summary>
    public static async Task<GcsLakeStore> CreateAsync(string bucket, string? credentialsPath = null, string? baseUri = null, CancellationToken cancellationToken = default)
    {
        var initializer = new BaseClientService.Initializer
        {
            ApplicationName = "datastream",
            // Parquet pages are already compressed: gzipping request bodies would spend CPU for nothing.
            GZipEnabled = false,
        };
        if (baseUri is not null)
        {
            initializer.BaseUri = baseUri.EndsWith('/') ? baseUri : baseUri + "/";
        }
        else
        {
            var credential = credentialsPath is null
                ? await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false)
                : (await CredentialFactory.FromFileAsync<ServiceAccountCredential>(credentialsPath, cancellationToken).ConfigureAwait(false)).ToGoogleCredential();
            initializer.HttpClientInitializer = credential.CreateScoped(StorageService.Scope.DevstorageReadWrite);
        }

        // StorageClientBuilder keeps GZipEnabled internal, so the service is built from its initializer instead.
        var client = new StorageClientImpl(new StorageService(initializer), encryptionKey: null);
        return new GcsLakeStore(client, bucket, ownsClient: true);
    }

    public async ValueTask WriteAsync(string key, Func<Stream, CancellationToken, ValueTask> writeContent, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(writeContent);
        // Staged on disk rather than in memory: a file can be tens of MiB and memory stays flat.
        var path = Path.Combine(Path.GetTempPath(), $"datastream-lake-{Guid.NewGuid():N}.parquet");
        var staging = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        if (!OperatingSystem.IsWindows())
        {
            // Unlinked at once: the open handle keeps the data, and a process killed mid-upload leaves nothing in /tmp.
            File.Delete(path);
        }

        await using (staging.ConfigureAwait(false))
        {
            await writeContent(staging, cancellationToken).ConfigureAwait(false);
            staging.Position = 0;
            await _client.UploadObjectAsync(_bucket, key, ParquetContentType, staging, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // The client follows nextPageToken itself, one request per page as the enumeration goes.
        var objects = _client.ListObjectsAsync(_bucket, prefix, new ListObjectsOptions { Fields = "items(name),nextPageToken" });
        await foreach (var item in objects.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item.Name;
        }
    }

    public async ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: a delete replayed after a crash.
        }
    }

    public async ValueTask MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default)
    {
        try
        {
            // GCS has no rename: a server-side rewrite (metadata only within a bucket) makes the new object whole at once.
            await _client.CopyObjectAsync(_bucket, fromKey, _bucket, toKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            if (!await ExistsAsync(toKey, cancellationToken).ConfigureAwait(false))
            {
                throw new FileNotFoundException($"No object gs://{_bucket}/{fromKey} to move to {toKey}.", e);
            }

            // Moved before a crash or by the partition's next owner: done already.
            return;
        }

        await DeleteAsync(fromKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>None: an upload that never completed is no object, and its local temporary is unlinked as it is opened.</summary>
    public ValueTask<int> DeleteUnfinishedAsync(string prefix, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    private async ValueTask<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectAsync(_bucket, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var buffer = new MemoryStream();
        try
        {
            await _client.DownloadObjectAsync(_bucket, key, buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"No object gs://{_bucket}/{key}.", e);
        }

        buffer.Position = 0;
        return buffer;
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
