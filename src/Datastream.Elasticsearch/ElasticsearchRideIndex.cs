using Datastream.Core.Rides;
using Datastream.Pipelines.Index;
using Datastream.Pipelines.Search;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Datastream.Elasticsearch;

/// <summary>
/// The index port on Elasticsearch 8/9 (SPEC §2, §3.6). Before the first write the rides template is installed
/// when the cluster lacks it (an existing one is left alone: operators may have tuned it). Rides are written with
/// _bulk index actions keyed by ride_id, so a replay overwrites. Per item: stored; pushed back (429, 5xx), resent
/// alone with backoff; or refused for good (any other 4xx, e.g. a mapping error), returned as an
/// <see cref="IndexRejection"/> carrying Elasticsearch's error. When pushed-back items or whole requests still fail
/// after the bounded attempts, <see cref="ElasticsearchUnavailableException"/> is thrown and the caller redoes the
/// batch: every overwrite is idempotent, so nothing is lost and nothing doubled.
/// Upserts are serialized (they share one body buffer); reads run in parallel.
/// </summary>
public sealed class ElasticsearchRideIndex : IRideIndexWriter, IRideSearch
{
    private readonly ClusterConnection _connection;
    private readonly BulkRequestBody _body;
    private readonly List<BulkResponse.Item> _items = [];
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _indexPath;
    private bool _templateReady;
    private bool _disposed;

    public ElasticsearchRideIndex(ElasticsearchIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = new ClusterConnection(options);
        _body = new BulkRequestBody(options.IndexName);
        _indexPath = "/" + Uri.EscapeDataString(options.IndexName);
    }

    public string Engine => "elasticsearch";

    public ElasticsearchIndexOptions Options => _connection.Options;

    /// <summary>The cluster's version once the first write has checked it.</summary>
    public string? ClusterVersion { get; private set; }

    public async ValueTask<IReadOnlyList<IndexRejection>> UpsertAsync(IReadOnlyList<FlatRide> rides, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rides);
        if (rides.Count == 0)
        {
            return [];
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await EnsureTemplateAsync(cancellationToken).ConfigureAwait(false);
            var rejections = new List<IndexRejection>();
            var pending = Indexable(rides, rejections);
            await WriteAsync(pending, rejections, cancellationToken).ConfigureAwait(false);
            return rejections;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Checks that the server is Elasticsearch, then installs the rides template when the cluster has none of that
    /// name; a later call tries again after a failure.
    /// </summary>
    public async Task EnsureTemplateAsync(CancellationToken cancellationToken = default)
    {
        if (_templateReady)
        {
            return;
        }

        ClusterVersion = await _connection.VerifyElasticsearchAsync(cancellationToken).ConfigureAwait(false);
        string path = "/_index_template/" + Uri.EscapeDataString(Options.TemplateName);
        string what = $"the index template {Options.TemplateName}";
        var exists = await _connection.SendAsync(HttpMethod.HEAD, path, null, what, cancellationToken).ConfigureAwait(false);
        if (exists.Status == 404)
        {
            var put = await _connection.SendAsync(HttpMethod.PUT, path, RidesIndexTemplate.Body, what, cancellationToken).ConfigureAwait(false);
            if (!put.IsSuccess)
            {
                throw _connection.Refused(what, put);
            }
        }
        else if (!exists.IsSuccess)
        {
            throw _connection.Refused(what, exists);
        }

        _templateReady = true;
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var reply = await ReadAsync(HttpMethod.GET, _indexPath + "/_count", null, "a count", cancellationToken).ConfigureAwait(false);
        return reply is { } found ? SearchResponse.Count(found.Body) : 0;
    }

    public async ValueTask<IReadOnlyList<MinuteComfortStats>> MinuteStatsAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default)
    {
        var reply = await ReadAsync(HttpMethod.POST, _indexPath + "/_search", RideQueries.MinuteStats(fromUtc, toUtc), "the minute stats", cancellationToken).ConfigureAwait(false);
        return reply is { } found ? SearchResponse.MinuteStats(found.Body) : [];
    }

    public async ValueTask<RidePage> SearchAsync(RideQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        var reply = await ReadAsync(HttpMethod.POST, _indexPath + "/_search", RideQueries.Search(query), "a search", cancellationToken).ConfigureAwait(false);
        return reply is { } found ? SearchResponse.Page(found.Body) : new RidePage(0, []);
    }

    public async ValueTask<IReadOnlyList<FlatRide>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var reply = await ReadAsync(HttpMethod.POST, _indexPath + "/_search", RideQueries.Latest(count), "the latest rides", cancellationToken).ConfigureAwait(false);
        return reply is { } found ? SearchResponse.Rides(found.Body) : [];
    }

    public async ValueTask DisposeAsync()
    {
        // Waits for a running upsert, which owns the body buffer.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// The rides to send: the last write per ride_id (what the index ends with anyway; the caller then gets at most one
    /// rejection per ride), without those JSON cannot carry (NaN, infinity), which are refused here.
    /// </summary>
    private static List<FlatRide> Indexable(IReadOnlyList<FlatRide> rides, List<IndexRejection> rejections)
    {
        var last = new Dictionary<Guid, int>(rides.Count);
        for (int i = 0; i < rides.Count; i++)
        {
            last[rides[i].RideId] = i;
        }

        var pending = new List<FlatRide>(last.Count);
        for (int i = 0; i < rides.Count; i++)
        {
            var ride = rides[i];
            if (last[ride.RideId] != i)
            {
                continue;
            }

            if (ElasticsearchRideDocument.FirstNonFiniteField(ride) is { } field)
            {
                rejections.Add(new IndexRejection(ride.RideId, $"document_parsing_exception: {field} is not a finite number (not sent to Elasticsearch)"));
            }
            else
            {
                pending.Add(ride);
            }
        }

        return pending;
    }

    /// <summary>
    /// Bulk requests of at most MaxDocumentsPerBulk; after each round only the pushed-back rides are sent again,
    /// with the connection's backoff, until none is left or the attempts run out.
    /// </summary>
    private async Task WriteAsync(List<FlatRide> pending, List<IndexRejection> rejections, CancellationToken cancellationToken)
    {
        int total = pending.Count;
        var last = await _connection.RetryWhileTransientAsync(async token =>
        {
            var round = await SendRoundAsync(pending, rejections, token).ConfigureAwait(false);
            pending = round.PushedBack;
            return round;
        }, cancellationToken).ConfigureAwait(false);
        if (last.IsTransient)
        {
            throw new ElasticsearchUnavailableException(
                $"Elasticsearch at {_connection.Location} is unavailable: {last.PushedBack.Count} of {total} rides still pushed back after {Options.MaxAttempts} attempts, last {last.LastProblem}");
        }
    }

    /// <summary>One round of bulk requests over <paramref name="pending"/>; refused rides are added to <paramref name="rejections"/>.</summary>
    private async ValueTask<BulkRound> SendRoundAsync(List<FlatRide> pending, List<IndexRejection> rejections, CancellationToken cancellationToken)
    {
        string lastProblem = "";
        var again = new List<FlatRide>();
        for (int start = 0; start < pending.Count; start += Options.MaxDocumentsPerBulk)
        {
            int count = Math.Min(Options.MaxDocumentsPerBulk, pending.Count - start);
            var reply = await _connection.SendOnceAsync(HttpMethod.POST, "/_bulk", _body.Write(pending, start, count), cancellationToken).ConfigureAwait(false);
            if (reply.IsTransient)
            {
                again.AddRange(pending.Skip(start).Take(count));
                lastProblem = reply.Describe();
                continue;
            }

            if (!reply.IsSuccess)
            {
                throw _connection.Refused("a _bulk request", reply);
            }

            BulkResponse.Read(reply.Body, count, _items);
            for (int i = 0; i < count; i++)
            {
                var item = _items[i];
                if (item.Outcome == BulkItemOutcome.Retry)
                {
                    again.Add(pending[start + i]);
                    lastProblem = $"item status {item.Status}: {item.Error}";
                }
                else if (item.Outcome == BulkItemOutcome.Rejected)
                {
                    rejections.Add(new IndexRejection(pending[start + i].RideId, item.Error ?? $"status {item.Status}"));
                }
            }
        }

        return new BulkRound(again, lastProblem);
    }

    /// <summary>The rides a round of bulk requests left pushed back (429 or 5xx, per request or per item): sent again after a backoff.</summary>
    private readonly record struct BulkRound(List<FlatRide> PushedBack, string LastProblem) : ITransientOutcome
    {
        public bool IsTransient => PushedBack.Count > 0;
    }

    /// <summary>A read; null when the index does not exist yet (nothing was written), which reads as empty.</summary>
    private async Task<ClusterReply?> ReadAsync(HttpMethod method, string path, byte[]? requestBody, string what, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reply = await _connection.SendAsync(method, path, requestBody, what, cancellationToken).ConfigureAwait(false);
        if (reply.Status == 404 && ElasticsearchError.TypeOf(reply.Body) == "index_not_found_exception")
        {
            return null;
        }

        return reply.IsSuccess ? reply : throw _connection.Refused(what, reply);
    }
}
