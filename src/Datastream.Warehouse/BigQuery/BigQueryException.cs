using System.Net;

namespace Datastream.Warehouse.BigQuery;

/// <summary>A BigQuery REST call failed: names the job (or "jobs.query" before one exists), the error reason and message.</summary>
public sealed class BigQueryException : Exception
{
    public BigQueryException(string? jobId, string? reason, string message, HttpStatusCode? statusCode)
        : base($"BigQuery job {jobId ?? "(jobs.query)"} failed: {reason ?? "unknown"}: {message}")
    {
        JobId = jobId;
        Reason = reason;
        StatusCode = statusCode;
    }

    /// <summary>The job id, null when jobs.query failed before returning one.</summary>
    public string? JobId { get; }

    /// <summary>The first <c>error.errors[].reason</c> (e.g. "notFound", "invalidQuery"), null if none was given.</summary>
    public string? Reason { get; }

    public HttpStatusCode? StatusCode { get; }
}
