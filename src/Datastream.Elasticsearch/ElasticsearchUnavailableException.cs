namespace Datastream.Elasticsearch;

/// <summary>
/// Elasticsearch could not be reached, or kept pushing back (429, 5xx) through every attempt. Nothing was refused:
/// the caller retries the same rides later (index-and-export rewinds and redoes the batch).
/// </summary>
public sealed class ElasticsearchUnavailableException(string message, Exception? inner = null) : IOException(message, inner);
